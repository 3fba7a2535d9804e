"""The report's and the probes' queries on SQLite and on PostgreSQL, over rows the store's
own API wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from syncd.config.loader import load_settings
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd.models import HubSpotContact
from syncd.effects import ChunkResult, LifecycleUpdate, Reject, ReviewItem, StageChange
from syncd.ports import PullBatch
from syncd.report import queries as q
from syncd.report.build import build_report
from syncd.store import open_store

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class _Endpoints:
    hubspot_url = "http://127.0.0.1:9"
    hubspot_token = salesforce_client_id = salesforce_client_secret = "x"
    salesforce_url = "https://127.0.0.1:9"
    ca_bundle = "/dev/null"


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


def _fill(store) -> None:
    contacts = [HubSpotContact(id=str(i), properties={"email": f"p{i}@example.com"}, updated_at=NOW)
                for i in range(1, 5)]
    store.save_pull_batch(PullBatch(contacts=contacts), now=NOW)
    for run, status, at in (("r1", "ok", NOW), ("r2", "failed", NOW + timedelta(hours=1))):
        store.start_run(run, now=at)
        store.finish_run(run, now=at, status=status, summary={"created": 2, "rejected": 1, "seconds": 1.5,
                                                              "api_calls": {"hubspot": 4, "salesforce": 3},
                                                              "budget_left": {"salesforce": 90}}
                         if status == "ok" else {}, error="boom" if status == "failed" else None)
    lifecycle = [LifecycleUpdate(hubspot_id=h, stage=s, state={"intent": i}, next_review_at=None) for h, s, i in
                 (("1", "sql", "active"), ("2", "mql", "passive"), ("3", "lead", "passive"))]
    history = [StageChange(hubspot_id=h, from_stage=None, to_stage=s, at=NOW, rule="r", reason="x",
                           evidence={}, run_id="r1") for h, s in (("1", "mql"), ("1", "sql"), ("2", "mql"))]
    rejects = [Reject(run_id="r1", hubspot_id="4", sf_object="Lead", code="STRING_TOO_LONG",
                      message="LastName: data value too large: p4@example.com", at=NOW)]
    review = ReviewItem(hubspot_id="3", reason="2 Salesforce Leads share this email", candidates=("00Q1", "00Q2"))
    store.commit_chunk(ChunkResult(facts=(*lifecycle, *history, *rejects, review), settled=("1", "2")), now=NOW)


def test_queries_and_report_on_both_backends(store, tmp_path):
    _fill(store)
    engine = store.engine
    q.ping(engine)
    assert q.pending_count(engine) == 2 and q.review_count(engine) == 1
    assert q.rejects_by_code(engine, "r1") == {"STRING_TOO_LONG": 1}
    assert q.last_finished_run(engine)["run_id"] == "r2"
    assert [r["run_id"] for r in q.runs_since(engine, NOW + timedelta(minutes=1))] == ["r2"]
    settings = load_settings(write_sandbox_config(_Endpoints(), tmp_path, mappings=DEFAULT_MAPPINGS))
    report = build_report(engine, settings.scoring, now=NOW, since=None)
    assert report.runs_by_status == {"failed": 1, "ok": 1} and report.outcomes["created"] == 2
    assert report.api_calls == {"hubspot": 4, "salesforce": 3} and report.budget_left == {"salesforce": 90}
    assert report.rejects[0].code == "STRING_TOO_LONG" and "@" not in report.rejects[0].reason
    assert report.rejects[0].examples == ("HubSpot 4 → Lead",)
    assert report.review.size == 1 and report.review.reasons == {"… Salesforce Leads share this email": 1}
    reached = {s.stage: s.reached for s in report.funnel.stages}
    assert reached["mql"] == 2 and reached["sql"] == 1 and report.funnel.mql_to_sql == 0.5
