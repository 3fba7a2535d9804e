"""Reads over mocked HTTP: chunked email lookups, describe cache, usage, changed records."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from syncd.errors import FatalApiError

from .conftest import DATA, calls_to, query_body, settings, sf_error, soql_of
from connectors.salesforce import SalesforceGateway

QUERY = re.compile(rf"{re.escape(DATA)}/query/?")


def _lead(n: int, email: str) -> dict:
    return {"attributes": {"type": "Lead", "url": "/x"}, "Id": f"00Q5e00000000{n:02d}AAA",
            "Email": email, "IsConverted": False}


def test_find_by_emails_asks_leads_not_converted_then_contacts_lower_cased_once(mocked, gateway):
    mocked.get(QUERY, json=query_body([_lead(1, "Ada@Example.com")]))
    mocked.get(QUERY, json=query_body([]))
    records = gateway.find_by_emails(["ADA@example.com", "ada@example.COM ", "", "bo@x.test"])
    queries = [soql_of(c) for c in calls_to(mocked, "/query")]
    assert len(queries) == 2
    assert queries[0].startswith("SELECT Id, Email, FirstName")
    assert "FROM Lead WHERE IsConverted = false AND Email IN ('ada@example.com', 'bo@x.test')" \
        in queries[0]
    assert "FROM Contact WHERE Email IN ('ada@example.com', 'bo@x.test')" in queries[1]
    assert "AccountId" in queries[1] and "Company" not in queries[1]
    assert [(r.object, r.id) for r in records] == [("Lead", "00Q5e0000000001AAA")]
    assert "attributes" not in records[0].fields


def test_find_by_emails_splits_long_in_lists(mocked, sleeps):
    gateway = SalesforceGateway(settings(max_query_chars=1500), sleep=sleeps)
    mocked.get(QUERY, json=query_body([]))
    emails = [f"person{n}@example.com" for n in range(120)]
    gateway.find_by_emails(emails)
    queries = [soql_of(c) for c in calls_to(mocked, "/query")]
    assert len(queries) > 2 and len(queries) % 2 == 0
    sent = set(re.findall(r"'([^']+)'", " ".join(q for q in queries if "FROM Lead" in q)))
    assert sent == set(emails)
    assert gateway.usage().calls["GET /services/data/vXX.X/query"] == len(queries)


def test_find_by_emails_with_no_address_makes_no_call(mocked, gateway):
    assert gateway.find_by_emails([" ", ""]) == []
    assert len(mocked.calls) == 0


def test_find_by_emails_takes_the_fields_asked_for(mocked, gateway):
    mocked.get(QUERY, json=query_body([]))
    gateway.find_by_emails(["a@x.test"], fields={"Contact": ["Title"]})
    contact_query = soql_of(calls_to(mocked, "/query")[1])
    assert contact_query.startswith("SELECT Id, Email, Title FROM Contact")


def test_describe_is_cached(mocked, gateway):
    mocked.get(f"{DATA}/sobjects/Lead/describe",
               json={"name": "Lead", "fields": [{"name": "Email", "type": "email",
                                                 "length": 80, "updateable": True}]})
    first, second = gateway.describe("Lead"), gateway.describe("Lead")
    assert first is second and first.fields["Email"].length == 80
    assert len(calls_to(mocked, "/describe")) == 1


def test_usage_counts_calls_and_reads_the_remaining_allocation(mocked, gateway):
    mocked.get(QUERY, json=query_body([]), headers={"Sforce-Limit-Info": "api-usage=40/5000"})
    gateway.find_by_emails(["a@x.test"])
    usage = gateway.usage()
    assert usage.calls == {"POST /services/oauth2/token": 1,
                           "GET /services/data/vXX.X/query": 2}
    assert usage.remaining == 4960 and usage.total == 3


def test_query_changed_filters_on_last_modified_date(mocked, gateway):
    mocked.get(QUERY, json=query_body([_lead(3, "c@x.test")]))
    since = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    records = gateway.query_changed("Lead", ["Status", "Id"], since)
    assert soql_of(mocked.calls[-1]) == (
        "SELECT Id, LastModifiedDate, Status FROM Lead WHERE LastModifiedDate > "
        "2026-03-02T09:30:00.000Z ORDER BY LastModifiedDate, Id")
    assert records[0].id == "00Q5e0000000003AAA"


def test_a_malformed_query_is_fatal_and_not_retried(mocked, gateway, sleeps):
    mocked.get(QUERY, **sf_error("MALFORMED_QUERY", "unexpected token: FROM"))
    with pytest.raises(FatalApiError, match="MALFORMED_QUERY: unexpected token"):
        gateway.query_changed("Lead", ["Bad Field"], datetime(2026, 1, 1, tzinfo=UTC))
    assert len(calls_to(mocked, "/query")) == 1 and sleeps == []
