"""Partial progress is kept: a failure in one chunk leaves what earlier chunks achieved
settled, and links of records already written are stored even when a later step fails."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from syncd.cli import main
from syncd_sandbox.faults import parse_faults


@pytest.fixture(autouse=True)
def _no_waits(monkeypatch):
    """Retry waits are recorded, not waited (their bounds still apply)."""
    waits = []
    monkeypatch.setattr("syncd.pacing.Pacer.__call__", lambda self, seconds: waits.append(seconds))
    return waits


def _db(config_path):
    return sa.create_engine(f"sqlite:///{config_path.parent / 'state.db'}")


def _scalar(config_path, sql):
    engine = _db(config_path)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).all()
    finally:
        engine.dispose()


def _summary(out: str) -> dict:
    return next(json.loads(line) for line in out.splitlines()
                if line.startswith("{") and '"cycle.completed"' in line)


def test_a_query_failing_after_its_retries_keeps_earlier_chunks(config_path, sandbox, monkeypatch, capsys):
    monkeypatch.setattr("syncd.sync.rules.CHUNK", 15)
    from syncd.errors import RetriableError
    from syncd.sync import stages

    real, calls = stages.look_up, []

    def look_up(*args, **kwargs):  # the third chunk's Salesforce read fails after its retries
        calls.append(1)
        if len(calls) == 3:
            raise RetriableError("Salesforce query failed: SERVER_UNAVAILABLE", system="salesforce",
                                 operation="query", status=503)
        return real(*args, **kwargs)

    monkeypatch.setattr(stages, "look_up", look_up)
    assert main(["once", "--config", str(config_path)]) == 3
    monkeypatch.setattr(stages, "look_up", real)
    capsys.readouterr()
    total = _scalar(config_path, "SELECT count(*) FROM contacts WHERE NOT archived AND merged_into IS NULL")[0][0]
    left = _scalar(config_path, "SELECT count(*) FROM contacts WHERE pending")[0][0]
    settled = total - left
    assert 0 < settled < total  # the chunks before the failing query are settled
    assert _scalar(config_path, "SELECT count(*) FROM lifecycle")[0][0] >= settled
    assert main(["once", "--config", str(config_path)]) == 0
    done = _summary(capsys.readouterr().out)
    # only what was left is written again (people the Salesforce feed shows changed are looked
    # at again, but what earlier chunks wrote is not rewritten)
    assert done["created"] + done["updated"] <= left
    assert _scalar(config_path, "SELECT count(*) FROM contacts WHERE pending")[0][0] == 0


def _written_people(dump) -> dict[str, str]:
    """HubSpot id -> object of every Salesforce person carrying a lifecycle stage."""
    out = {}
    for name in ("Lead", "Contact"):
        for record in dump["salesforce"]["objects"][name]:
            if record.get("Lifecycle_Stage__c") and record.get("HubSpot_Id__c"):
                out[record["HubSpot_Id__c"]] = name
    return out


def test_links_of_records_written_before_a_failed_write_phase_are_stored(config_path, sandbox, capsys):
    before = _written_people(sandbox.dump())
    # the chunk's Lead and Contact writes go through; its follow-up tasks' write then fails
    sandbox.apply_plan(parse_faults("salesforce:PATCH /services/data/*/composite/sobjects/Task*:status=503:after=0"))
    assert main(["once", "--config", str(config_path)]) == 3
    capsys.readouterr()
    written = {h: o for h, o in _written_people(sandbox.dump()).items() if h not in before}
    assert written, "the record writes went through"
    links = dict(_scalar(config_path, "SELECT hubspot_id, sf_object FROM id_map"))
    assert {h: links.get(h) for h in written} == written
    # they may stay pending for their follow-up task and HubSpot write-back, but are linked

    sandbox.apply_plan(parse_faults(""))
    assert main(["once", "--config", str(config_path)]) == 0
    links = dict(_scalar(config_path, "SELECT hubspot_id, sf_object FROM id_map"))
    every = _written_people(sandbox.dump())
    assert {h: links.get(h) for h in every} == every
