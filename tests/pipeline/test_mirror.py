"""The Salesforce mirror: matching reads it, sales' changes reach the cycle, syncd's own
writes do not come back as news, and a record the mirror has stale is caught by the write."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from syncd.sync.cycle import run_cycle
from syncd.sync.mirror import FEED, MirrorStep, worth_a_look
from syncd.sync.summary import CycleSummary
from syncd.testing import MemoryCrm
from syncd.timefmt import as_instant
from tests.pipeline.conftest import NOW, person


@pytest.mark.parametrize("old, new, written, expect", [
    (None, {"Status": "Open"}, None, False),                                   # first seen, never written
    (None, {"Lead_Score__c": 40}, {"Lead_Score__c": 40}, False),               # syncd's own create
    (None, {"Lead_Score__c": 12}, {"Lead_Score__c": 40}, True),                # differs from what syncd wrote
    ({"Status": "Open"}, {"Status": "Nurture"}, {}, True),                     # sales' verdict
    ({"Lead_Score__c": 10}, {"Lead_Score__c": 40}, {"Lead_Score__c": 40}, False),  # echo of syncd's write
    ({"Lead_Score__c": 40}, {"Lead_Score__c": 40.0}, {}, False),               # same as Salesforce stores it
    ({"SystemModstamp": "a", "LastActivityDate": "x"}, {"SystemModstamp": "b", "LastActivityDate": "y"}, {}, False),
    ({"OwnerId": "005A"}, {"OwnerId": "005B"}, {"OwnerId": "005A"}, True),    # reassigned by sales
])
def test_worth_a_look(old, new, written, expect):
    assert worth_a_look(old, new, written) is expect


def _writes(crm) -> int:
    return crm.calls["upsert"] + crm.calls["update"]


def test_matching_reads_the_mirror_not_salesforce_per_chunk(world):
    hubspot, crm, store, deps = world
    crm.add("Lead", Email="a@example.com", LastName="A", Company="X")
    for i in range(5):
        hubspot.put_contact(person(str(i), f"{'a' if i == 0 else i}@example.com"))
    summary = run_cycle(deps, run_id="r1")
    assert summary.matched == 1 and summary.created == 4
    assert crm.calls["composite_batch"] == 1 and crm.calls["query"] == 0
    assert store.mirror_size() == 5  # the one read, and the four syncd created, patched in at once


def test_sales_verdict_brings_the_person_back_and_quiet_cycles_write_nothing(world):
    hubspot, crm, store, deps = world
    lead = crm.add("Lead", Email="v@example.com", LastName="V", Company="X", Status="Working - Contacted")
    hubspot.put_contact(person("9", "v@example.com"))
    run_cycle(deps, run_id="r1")
    for n in range(3):  # no outside change: nothing written, the echo of syncd's write is no news
        deps.clock.advance(timedelta(minutes=10))
        quiet = run_cycle(deps, run_id=f"q{n}")
        assert quiet.pulled == 0 and quiet.matched == 0 and quiet.to_dict().get("changed_in_salesforce", 0) == 0
    writes = _writes(crm)
    crm.change("Lead", lead, Status="Nurture")
    deps.clock.advance(timedelta(minutes=10))
    summary = run_cycle(deps, run_id="r2")
    assert summary.to_dict()["changed_in_salesforce"] == 1 and summary.matched == 1
    assert store.lifecycle_states(["9"])["9"]["stage"] == "recycled"
    assert crm.get("Lead", lead)["Lifecycle_Stage__c"] == "Recycled" and _writes(crm) == writes + 1


def test_the_feed_is_not_read_by_an_idle_cycle_soon_after_another(world):
    hubspot, crm, store, deps = world
    hubspot.put_contact(person("1", "one@example.com"))
    run_cycle(deps, run_id="r1")
    deps.clock.advance(timedelta(minutes=1))
    before = crm.usage().total
    assert run_cycle(deps, run_id="r2").pulled == 0 and crm.usage().total == before
    deps.clock.advance(timedelta(minutes=5))
    run_cycle(deps, run_id="r3")
    assert crm.usage().total == before + 1  # one composite read when the interval has passed


def test_a_record_deleted_behind_the_mirror_is_caught_by_the_write_and_replaced(world):
    hubspot, crm, store, deps = world
    lead = crm.add("Lead", Email="d@example.com", LastName="D", Company="X")
    run_cycle(deps, run_id="r0")  # the mirror holds the Lead
    crm.delete("Lead", lead)  # deleted in Salesforce; the mirror has not read it yet
    store.save_cursor("salesforce:people", {**store.load_cursor("salesforce:people"), "Lead": "2999-01-01T00:00:00Z"})
    hubspot.put_contact(person("4", "d@example.com"))
    stale = run_cycle(deps, run_id="r1")  # matched by email to the stale row: the update is refused
    assert stale.to_dict()["stale_records"] == 1 and store.count_pending() == 1 and stale.rejected == 0
    again = run_cycle(deps, run_id="r2")
    assert again.created == 1 and store.id_map(["4"])["4"][1] != lead and store.count_pending() == 0


def test_an_upsert_on_the_external_id_replaces_a_record_deleted_behind_the_mirror(world):
    hubspot, crm, store, deps = world
    hubspot.put_contact(person("6", "six@example.com"))
    run_cycle(deps, run_id="r1")
    first = store.id_map(["6"])["6"][1]
    crm.delete("Lead", first)
    hubspot.put_contact(person("6", "six@example.com", jobtitle="CTO"))
    deps.clock.advance(timedelta(minutes=10))
    summary = run_cycle(deps, run_id="r2")
    live = [r for r in crm.objects["Lead"].values() if not r["IsDeleted"]]
    assert summary.created == 1 and [r["HubSpot_Id__c"] for r in live] == ["6"] and live[0]["Title"] == "CTO"


def test_the_owner_salesforce_gives_a_record_syncd_created_counts_only_when_it_has_a_hubspot_owner():
    from syncd.sync.mirror import worth_a_look

    created = {"Id": "00Q1", "LastName": "Lovelace", "IsDeleted": False}  # the mirror row syncd patched in
    read = {**created, "OwnerId": "005INTEGRATION", "SystemModstamp": "2026-11-02T10:00:00.000+0000"}
    written = {"LastName": "Lovelace"}
    assert not worth_a_look(created, read, written, owner_matters=lambda owner: False)
    assert worth_a_look(created, read, written, owner_matters=lambda owner: owner == "005INTEGRATION")
    reassigned = {**read, "OwnerId": "005REP"}  # sales moved it: always a change
    assert worth_a_look(read, reassigned, written, owner_matters=lambda owner: False)


def _people(crm: MemoryCrm) -> list[str]:
    ids = [crm.add("Lead", Email=f"l{i}@example.com", LastName=f"L{i}", Company="X", HubSpot_Id__c=str(100 + i))
           for i in range(5)]
    return ids + [crm.add("Contact", Email=f"c{i}@example.com", LastName=f"C{i}") for i in range(4)]


def _fill(store, crm, rules, now=NOW) -> CycleSummary:
    summary = CycleSummary(run_id="m")
    MirrorStep().run(SimpleNamespace(store=store, crm=crm, rules=rules), summary, now=now, run_id="m")
    return summary


def test_the_first_fill_stores_every_record_chunk_by_chunk(any_store, rules):
    crm = MemoryCrm()
    crm.page_size = 2  # the 5 Leads and 4 Contacts come in 5 chunks
    ids = _people(crm)
    assert _fill(any_store, crm, rules).other["mirrored"] == 9
    assert any_store.mirror_size() == 9 and sorted(any_store.mirror_rows(ids)) == sorted(ids)
    cursor = any_store.load_cursor(FEED)
    for object_name in ("Lead", "Contact"):
        newest = max(as_instant(r["SystemModstamp"]) for r in crm.objects[object_name].values())
        assert as_instant(cursor[object_name]) == newest
    assert _fill(any_store, crm, rules, NOW + timedelta(minutes=10)).other["mirrored"] == 0


def test_a_fill_cut_short_keeps_its_chunks_and_the_next_one_reads_the_rest(any_store, rules):
    crm = MemoryCrm()
    crm.page_size = 2
    ids = _people(crm)
    pages = crm.people_pages

    def cut_after_two(since, held=None):
        for n, chunk in enumerate(pages(since, held)):
            if n == 2:
                raise ConnectionError("cut")
            yield chunk
    crm.people_pages = cut_after_two
    with pytest.raises(ConnectionError):
        _fill(any_store, crm, rules)
    assert any_store.mirror_size() == 4 and not (any_store.load_cursor(FEED) or {}).get("Lead")
    crm.people_pages = pages
    assert _fill(any_store, crm, rules).other["mirrored"] == 5  # the 4 held are not stored again
    assert sorted(any_store.mirror_rows(ids)) == sorted(ids)


def test_a_quiet_read_leaves_out_the_rows_at_the_cursor_the_mirror_holds(any_store, rules):
    crm = MemoryCrm()
    ids = _people(crm)
    for row in crm.objects["Lead"].values():  # a burst of writes in one instant (a mass update)
        row["SystemModstamp"] = "2026-11-02T10:00:00.000+0000"
    assert _fill(any_store, crm, rules).other["mirrored"] == 9
    cursor = any_store.load_cursor(FEED)
    assert cursor["Lead@held"] == 5 and cursor["Contact@held"] == 1
    read, pages = [], crm.people_pages

    def counted(since, held=None):
        for name, records in pages(since, held):
            read.extend(r.id for r in records)
            yield name, records
    crm.people_pages = counted
    assert _fill(any_store, crm, rules, NOW + timedelta(minutes=10)).other["mirrored"] == 0
    assert read == []  # nothing read again
    late = crm.add("Lead", Email="late@example.com", LastName="Late", Company="X")
    crm.objects["Lead"][late]["SystemModstamp"] = "2026-11-02T10:00:00.000+0000"  # stamped in that same second
    assert _fill(any_store, crm, rules, NOW + timedelta(minutes=20)).other["mirrored"] == 1
    assert sorted(read) == sorted([*ids[:5], late]) and any_store.load_cursor(FEED)["Lead@held"] == 6
