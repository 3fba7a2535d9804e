"""The state store's offline side (imported files, rows, review queue and decisions), run on
the in-memory store, SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

import pytest

from syncd.effects import Link, ReviewItem
from syncd.models import EngagementEvent, EngagementKind
from syncd.offline_change import FieldFill, OfflineChange, OfflineFile, OfflineRow, ReviewDecision
from syncd.ports import PullBatch
from tests.core.test_store import NOW, contact, settle, store  # noqa: F401  (the fixture)

HASH = "ab" * 32


def _import() -> OfflineChange:
    return OfflineChange(
        at=NOW, file=OfflineFile(content_hash=HASH, name="expo.csv", source="Expo", counts={"records": 3}),
        rows=(OfflineRow(content_hash=HASH, line=2, outcome="merged", status="merged", hubspot_id="1",
                         target="hs:1", reason="same email", fields={"email": "a@example.com", "hand_raise": True}),
              OfflineRow(content_hash=HASH, line=3, outcome="imported", status="created", hubspot_id="9",
                         fields={"email": "n@example.com"}),
              OfflineRow(content_hash=HASH, line=4, outcome="imported", status="review", target="sf:00Q1",
                         reason="tie", fields={})),
        contacts=(contact("9", "n@example.com"),),
        events=(EngagementEvent(id="offline:x:2", contact_id="1", kind=EngagementKind.OFFLINE, occurred_at=NOW,
                                attributes={"source": "Trade Show", "hand_raise": "true"}),),
        links=(Link(hubspot_id="9", sf_object="Lead", sf_id="00Q000000000009AAA", matched_by="offline"),),
        fills=(FieldFill(hubspot_id="1", field="phone", value="+13125550101", source="Trade Show line 2"),),
        reviews=(ReviewItem(hubspot_id="offline:x:4", reason="tie", candidates=("sf:00Q1", "sf:00Q2")),))


def test_an_import_is_kept_whole(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1")]), now=NOW)
    settle(store, ["1"])
    assert store.offline_hashes() == frozenset()
    store.save_offline(_import())
    assert store.offline_hashes() == {HASH}
    assert [f["name"] for f in store.offline_files()] == ["expo.csv"]
    assert [(r["line"], r["status"]) for r in store.offline_rows()] == [(2, "merged"), (3, "created"), (4, "review")]
    assert [r["line"] for r in store.offline_rows(status="review")] == [4]
    assert sorted(c.id for c in store.pending_contacts()) == ["1", "9"]  # the event makes 1 pending
    assert [e.kind for e in store.events_for(["1"])["1"]] == [EngagementKind.OFFLINE]
    assert store.id_map(["9"]) == {"9": ("Lead", "00Q000000000009AAA")}
    assert store.review_item("offline:x:4")["candidates"] == ["sf:00Q1", "sf:00Q2"]
    contacts, people = store.matching_people()
    assert [c["hubspot_id"] for c in contacts] == ["1", "9"] and people == []


def test_the_same_file_twice_is_refused_whole(store):
    store.save_offline(_import())
    with pytest.raises(Exception):
        store.save_offline(_import())
    assert len(store.offline_rows()) == 3


def test_a_decision_is_remembered_and_its_pair_never_asked_again(store):
    store.save_offline(_import())
    decision = ReviewDecision(subject="offline:x:4", candidates=("sf:00Q2", "sf:00Q1"), decision="reject")
    store.save_offline(OfflineChange(at=NOW, decisions=(decision,)))
    assert store.review_item("offline:x:4") is None
    (kept,) = store.review_decisions(["offline:x:4"])["offline:x:4"]
    assert (kept["decision"], kept["candidates"]) == ("reject", "sf:00Q1,sf:00Q2")
    store.save_offline(OfflineChange(at=NOW, reviews=(ReviewItem(hubspot_id="offline:x:4", reason="again",
                                                                 candidates=("sf:00Q1", "sf:00Q2")),)))
    assert store.review_items() == []
    other = ReviewItem(hubspot_id="offline:x:4", reason="a new candidate", candidates=("sf:00Q3",))
    store.save_offline(OfflineChange(at=NOW, reviews=(other,)))
    assert [r["candidates"] for r in store.review_items()] == [["sf:00Q3"]]


def test_naive_times_and_unknown_decisions_are_refused():
    with pytest.raises(ValueError, match="timezone"):
        OfflineChange(at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="accept or reject"):
        ReviewDecision(subject="1", candidates=(), decision="maybe")
