"""Redaction by field, names in logs, scheduler lines as JSON, escaped control characters,
stable profile order."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import structlog
from apscheduler.schedulers.background import BackgroundScheduler

from syncd.commands._common import report_failure
from syncd.errors import ConfigError, ConfigIssue
from syncd.lifecycle.explain import lead_profile
from syncd.logs import configure_logging
from syncd.runner import new_run_id


@pytest.fixture
def lines():
    out = io.StringIO()
    configure_logging(fmt="json", level="debug", stream=out)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    structlog.reset_defaults()
    logging.getLogger().handlers.clear()


SQL_ERROR = ("(psycopg.errors.UniqueViolation) duplicate key [SQL: INSERT INTO runs ...] "
             "[parameters: {'started_at': datetime(2026, 11, 25, 10, 0), 'at': '2026-11-25 10:00:00.123456'}]")
ERROR_ID = ("UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you "
            "contact support: 1804325813-4242 (-1218785233)")


@pytest.mark.parametrize(("field", "value"), [
    ("run_id", "123456789012"),           # an all-digit run id (before: 1 run in 280)
    ("hubspot_id", "51234567890"),
    ("sf_id", "00Q5e00000AbCdEFGH"),
    ("ids", ["12345678901", "12345678902"]),
    ("resets_at", "2026-11-26T00:00:00+00:00"),
    ("reason", ERROR_ID),
    ("error", SQL_ERROR),
])
def test_identifiers_times_and_error_ids_are_never_redacted(lines, field, value):
    structlog.get_logger().warning("x", **{field: value})
    (line,) = lines()
    assert line[field] == value


@pytest.mark.parametrize(("field", "value", "leak"), [
    ("reason", "call (415) 555-0100 back", "555-0100"),
    ("error", "row for jane.doe@example.com rejected", "jane.doe"),
    ("message", "dialled +44 20 7946 0958 at 2026-11-25 10:00:00", "7946"),
    ("email", "jane@example.com", "jane"),
    ("access_token", "pat-na1-11112222-3333-4444-5555-666677778888", "pat-na1"),
])
def test_free_text_and_personal_fields_are_still_masked(lines, field, value, leak):
    structlog.get_logger().warning("x", **{field: value})
    (line,) = lines()
    assert leak not in json.dumps(line)


def test_run_ids_are_never_all_digits():
    assert not any(new_run_id().isdigit() for _ in range(20_000))
    assert len(new_run_id()) == 12


def test_scheduler_lines_are_json(lines):
    release, started = threading.Event(), threading.Event()

    def busy():
        started.set()
        release.wait(10)

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.start()
    try:
        job = scheduler.add_job(busy, "interval", minutes=5, next_run_time=datetime.now(UTC),
                                max_instances=1, id="sync")
        assert started.wait(10)
        job.modify(next_run_time=datetime.now(UTC))  # due again while still running
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
                line["event"] == "scheduler.job_skipped" for line in lines()):
            time.sleep(0.02)  # waiting for the scheduler's thread
    finally:
        release.set()
        scheduler.shutdown(wait=True)
    skipped = [line for line in lines() if line["event"] == "scheduler.job_skipped"]
    assert skipped and "maximum number of running instances" in skipped[0]["message"]
    assert skipped[0]["level"] == "warning" and skipped[0]["logger"].startswith("apscheduler")


def test_an_exception_in_a_log_line_becomes_a_file_reference(lines, tmp_path, monkeypatch):
    monkeypatch.setenv("SYNCD_CRASH_DIR", str(tmp_path))
    try:
        {}["missing"]
    except KeyError:
        structlog.get_logger().exception("job.crashed", job="sync")
    (line,) = lines()
    assert "Traceback" not in json.dumps(line) and line["error"] == "KeyError: 'missing'"
    assert "Traceback (most recent call last)" in open(line["traceback_file"]).read()


def test_paths_with_control_characters_are_escaped(capsys):
    evil = "/srv/cfg/\u202egpj.toml"
    report_failure(ConfigError([ConfigIssue(file=evil, path="state.url", message="bad\x1b[31m")]))
    err = capsys.readouterr().err
    assert "\u202e" not in err and "\x1b" not in err
    assert "\\u202egpj.toml" in err and "\\x1b[31m" in err


def _profile(events):
    breakdown = {"score": 40, "fit_score": 20, "engagement_score": 20, "grade": "B",
                 "intent": {"intent": "passive", "reason": "no hand-raise"},
                 "stage": {"salesforce": "MQL"}, "last_activity_at": "2026-11-20T10:00:00+00:00",
                 "engagement": {"events": events}, "fit": {"rules": [
                     {"rule": "Industry", "property": "industry", "points": 10},
                     {"rule": "Country", "property": "country", "points": 10},
                     {"rule": "Title", "property": "jobtitle", "points": -10}]}}
    model = SimpleNamespace(config=SimpleNamespace(model=SimpleNamespace(profile_max_chars=1000)))
    return lead_profile(SimpleNamespace(breakdown=breakdown, model=model))


def test_profile_signals_with_equal_points_keep_their_order_across_cycles():
    def event(i, at, contribution):
        return {"event_id": f"e{i}", "at": at, "rule": f"Rule {i}", "contribution": contribution}

    early, late = "2026-11-01T10:00:00+00:00", "2026-11-02T10:00:00+00:00"
    # decay moves the decimals between cycles; both always print as +5
    one = _profile([event(2, late, 5.006), event(1, early, 5.004)])
    two = _profile([event(1, early, 5.006), event(2, late, 5.004)])
    assert one == two
    assert one.index("Rule 1") < one.index("Rule 2")
    assert "Fit: Country (+10); Industry (+10); Title (-10)" in one


def test_every_rejected_or_deferred_row_logs_its_code_and_reason():
    from structlog.testing import capture_logs

    from syncd.effects import RecordWrite
    from syncd.models import WriteResult
    from syncd.sync.executors import RecordExecutor

    class Crm:
        def write_records(self, batches):
            assert [(b.object_name, b.operation, len(b.rows)) for b in batches] == [("Lead", "upsert", 2)]
            return [[WriteResult(key="1", ok=False, error_code="UNABLE_TO_LOCK_ROW",
                                 message="unable to obtain exclusive access", retriable=True),
                     WriteResult(key="2", ok=False, error_code="STRING_TOO_LONG",
                                 message="Last Name: data value too large (fields: LastName)")]]

    writes = [RecordWrite(hubspot_id=h, object_name="Lead", mode="upsert", record_id=None,
                          fields={"HubSpot_Id__c": h}, desired={"HubSpot_Id__c": h}) for h in ("1", "2")]
    with capture_logs() as logs:
        RecordExecutor(Crm(), "HubSpot_Id__c").execute(writes, run_id="r", now=datetime(2026, 11, 1, tzinfo=UTC))
    rows = {e["event"]: e for e in logs if e["event"].startswith("row.")}
    assert rows["row.deferred"]["code"] == "UNABLE_TO_LOCK_ROW" and "exclusive" in rows["row.deferred"]["reason"]
    assert rows["row.rejected"]["code"] == "STRING_TOO_LONG" and rows["row.rejected"]["hubspot_id"] == "2"
    assert "too large" in rows["row.rejected"]["reason"]
