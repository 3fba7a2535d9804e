"""Per-row write results decide what is settled, retried next cycle, or rejected."""

from __future__ import annotations

from datetime import UTC, datetime

from syncd.effects import Link, RecordWrite, Reject, Written
from syncd.models import HubSpotContact
from syncd.sync import stages
from syncd.sync.executors import RecordExecutor
from syncd.sync.match import MatchDecision
from syncd.sync.planners import Person
from syncd.testing import MemoryCrm

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _write(h: str) -> RecordWrite:
    return RecordWrite(hubspot_id=h, object_name="Lead", mode="upsert", record_id=None,
                       fields={"HubSpot_Id__c": h, "LastName": "L"}, desired={"HubSpot_Id__c": h, "LastName": "L"})


def test_written_retriable_and_rejected_rows_are_told_apart():
    crm = MemoryCrm()
    crm.fail.update({"2": "UNABLE_TO_LOCK_ROW", "3": "STRING_TOO_LONG"})
    outcomes = RecordExecutor(crm, "HubSpot_Id__c").execute([_write(h) for h in "123"], run_id="r", now=NOW)
    by_id = {o.hubspot_id: o for o in outcomes}
    assert {h: o.status for h, o in by_id.items()} == {"1": "applied", "2": "retry", "3": "rejected"}
    link, written, _patch = by_id["1"].facts
    assert isinstance(link, Link) and link.sf_id.startswith("00Q") and link.matched_by == "created"
    assert isinstance(written, Written) and written.fields == {"HubSpot_Id__c": "1", "LastName": "L"}
    (reject,) = by_id["3"].facts
    assert isinstance(reject, Reject) and reject.code == "STRING_TOO_LONG"
    assert by_id["2"].facts == () and by_id["1"].counts == {"created": 1}


def test_settling_keeps_retriable_people_pending_and_counts_each_outcome():
    crm = MemoryCrm()
    crm.fail["2"] = "UNABLE_TO_LOCK_ROW"
    people = [Person(contact=HubSpotContact(id=h, properties={}, updated_at=NOW),
                     decision=MatchDecision(hubspot_id=h, action="create")) for h in "12"]
    plans = [stages.PersonPlan(person=p, qualified=_qualified(p.id), effects=(_write(p.id),)) for p in people]
    report = stages.write(plans, [RecordExecutor(crm, "HubSpot_Id__c")], now=NOW, run_id="r")
    settled = stages.settle(plans, report, now=NOW, run_id="r")
    assert settled.result.settled == ("1",)
    assert settled.tally.counts["created"] == 1 and settled.tally.counts["retrying"] == 1


def _qualified(h: str):
    from syncd.effects import LifecycleUpdate
    from syncd.sync.plan import Computed
    from syncd.sync.qualify import Qualified

    return Qualified(computed=Computed(values={"stage": "Lead", "intent": "passive"}),
                     lifecycle=LifecycleUpdate(hubspot_id=h, stage="lead", state={}, next_review_at=None),
                     changes=())
