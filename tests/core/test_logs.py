"""Log lines never carry personal data or secrets."""

from __future__ import annotations

import io
import json

import pytest
import structlog

from syncd.logs import configure_logging, pseudonym


@pytest.fixture
def lines():
    out = io.StringIO()
    configure_logging(fmt="json", level="debug", stream=out)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    structlog.reset_defaults()


@pytest.mark.parametrize(("field", "value", "leak"), [
    ("message", "sent to Bob.Smith+news@Example.co.uk today", "Bob.Smith+news@Example.co.uk"),
    ("message", "call (415) 555-0100 back", "555-0100"),
    ("message", "dialled +44 20 7946 0958", "7946"),
    ("detail", "header Bearer pat-na1-11112222-3333-4444-5555-666677778888", "pat-na1"),
    ("detail", "session 00D5e000000AbCd!AQ8AQOkZzyxwvutsrqponmlkjihgfed", "AQ8AQOk"),
    ("access_token", "anything at all", "anything"),
    ("client_secret", "s3cr3t", "s3cr3t"),
    ("email", "not-even-an-address", "not-even"),
])
def test_personal_data_and_secrets_are_masked(lines, field, value, leak):
    structlog.get_logger().info("x", **{field: value})
    (line,) = lines()
    assert leak not in json.dumps(line)


def test_useful_values_survive(lines):
    structlog.get_logger().info("cycle.completed", run_id="abc123", pulled=1200,
                                at="2026-11-25T10:00:00Z", url="https://api.hubapi.com/crm/v3/objects/contacts/search",
                                contact="1001", stages={"lead": 3})
    (line,) = lines()
    assert line["pulled"] == 1200 and line["at"] == "2026-11-25T10:00:00Z"
    assert line["url"].endswith("/contacts/search") and line["contact"] == "1001"
    assert line["stages"] == {"lead": 3} and line["event"] == "cycle.completed"


def test_pseudonym_is_stable_case_insensitive_and_keyed():
    assert pseudonym("Bob@Acme.com", key=b"k") == pseudonym(" bob@acme.com", key=b"k")
    assert pseudonym("bob@acme.com", key=b"k") != pseudonym("bob@acme.com", key=b"other")
    assert "@" not in pseudonym("bob@acme.com", key=b"k")
