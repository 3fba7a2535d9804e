"""An offline file into the daemon, on in-memory ports: merge into a HubSpot contact or a
Salesforce record, create (where consent allows), review; then cycles write the result."""

from __future__ import annotations


import pytest

from syncd.demo import DEFAULT_MAPPINGS
from syncd.models import EngagementKind
from syncd.offline.job import import_offline
from syncd.offline.mapping import load_source_mapping
from syncd.offline_change import OfflineChange, ReviewDecision
from syncd.reconcile.rules import load_rules
from syncd.sync.cycle import run_cycle
from tests.pipeline.conftest import NOW, person


def _people(crm) -> list[dict]:
    return [r for obj in ("Lead", "Contact") for r in crm.objects.get(obj, {}).values()]

SOURCE = """
[source]
name = "Expo"
lead_source = "Trade Show"
campaign = "Expo 2026"
default_country = "US"
event_date = "2026-10-20"

[columns]
"First" = "first_name"
"Last" = "last_name"
"Email" = "email"
"Company" = "company"
"Phone" = "phone"
"Notes" = "notes"

[consent]
column = "Opt-in"
yes = ["yes"]

[hand_raise]
column = "Notes"
contains = ["demo"]
"""

CSV = """First,Last,Email,Company,Phone,Notes,Opt-in
Grace,Hopper,grace@navy.example,Navy,+1 312 555 0101,wants a demo,yes
Linus,Pauling,linus@chem.example,Chem,,,yes
Rosa,Franklin,rosa@new.example,Kings,,,yes
Max,Planck,max@new.example,Quanta,,,no
Rosa,Franklin,rosa@new.example,Kings,,,yes
Ann,Twin,twin@shared.example,Twins,,,yes
"""


@pytest.fixture
def loaded(world, tmp_path):
    hubspot, crm, store, deps = world
    hubspot.clock = lambda: NOW
    hubspot.put_contact(person("1", "grace@navy.example", firstname="Grace", lastname="Hopper", company="Navy"))
    crm.add("Lead", Email="linus@chem.example", FirstName="Linus", LastName="Pauling", Company="Chem")
    crm.add("Lead", Email="twin@shared.example", FirstName="Ann", LastName="Twin", Company="Twins")
    crm.add("Lead", Email="twin@shared.example", FirstName="Anne", LastName="Twin", Company="Twins")
    run_cycle(deps, run_id="r0")  # pulls the contact, fills the mirror
    (tmp_path / "expo.toml").write_text(SOURCE)
    return world, load_source_mapping(tmp_path / "expo.toml")


def _import(store, hubspot, mapping, policy="where_consent"):
    return import_offline(store, hubspot, data=CSV.encode(), name="expo.csv", mapping=mapping, origin="expo.toml",
                          rules=load_rules(DEFAULT_MAPPINGS / "matching.toml"), policy=policy, now=NOW)


def test_each_record_merges_creates_holds_or_waits_for_review(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    imported = _import(store, hubspot, mapping)
    assert imported.statuses == {2: "merged", 3: "merged", 4: "created", 5: "held", 6: "duplicate", 7: "review"}
    events = store.events_for(["1"])["1"]
    offline = [e for e in events if e.kind is EngagementKind.OFFLINE]
    assert [e.attributes["hand_raise"] for e in offline] == ["true"]
    assert offline[0].attributes["campaign"] == "Expo 2026"
    # a blank property filled under survivorship, recorded in history; existing values kept
    assert hubspot.contacts["1"].properties["phone"] == "+13125550101"
    assert hubspot.contacts["1"].properties["company"] == "Navy"
    assert [h["detail"]["field"] for h in store.id_history if h["event"] == "offline_fill"] == ["phone"]
    # the Salesforce-only person got a HubSpot contact linked to their Lead; the new one too
    emails = {c.properties["email"]: i for i, c in hubspot.contacts.items()}
    assert set(emails) == {"grace@navy.example", "linus@chem.example", "rosa@new.example"}
    linus = emails["linus@chem.example"]
    lead = next(r for r in _people(crm) if r["Email"] == "linus@chem.example")
    assert store.id_map([linus]) == {linus: ("Lead", lead["Id"])}
    (item,) = store.review_items()
    assert item["hubspot_id"].endswith(":7") and len(item["candidates"]) == 2


def test_cycles_write_the_people_and_nobody_existing_is_created_twice(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    leads_before = len(_people(crm))
    _import(store, hubspot, mapping)
    run_cycle(deps, run_id="r1")
    assert len(_people(crm)) == leads_before + 1  # Rosa only: Grace and Linus existed
    grace_lead = next(r for r in _people(crm) if r.get("Email") == "grace@navy.example")
    print(grace_lead.get("Lead_Profile__c")); assert "Expo 2026" in grace_lead["Lead_Profile__c"]
    assert store.lifecycle_states(["1"])["1"]["intent"] == "active"


def test_the_same_file_again_changes_nothing(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    _import(store, hubspot, mapping)
    run_cycle(deps, run_id="r1")
    before = (len(hubspot.contacts), len(store.events), len(_people(crm)), len(store.review))
    again = _import(store, hubspot, mapping)
    assert again.result.already_imported and set(again.statuses.values()) == {"skipped"}
    run_cycle(deps, run_id="r2")
    assert (len(hubspot.contacts), len(store.events), len(_people(crm)), len(store.review)) == before


def test_consent_policy_only_with_consent_and_never(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    imported = _import(store, hubspot, mapping, policy="never")
    assert imported.statuses[4] == "held" and imported.statuses[3] == "held"
    assert set(c.properties["email"] for c in hubspot.contacts.values()) == {"grace@navy.example"}


def test_a_decided_pair_is_not_queued_again(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    _import(store, hubspot, mapping)
    (item,) = store.review_items()
    store.save_offline(OfflineChange(at=NOW, decisions=(ReviewDecision(
        subject=item["hubspot_id"], candidates=tuple(item["candidates"]), decision="reject"),)))
    assert store.review_items() == []
    from syncd.effects import ReviewItem
    store.save_offline(OfflineChange(at=NOW, reviews=(ReviewItem(
        hubspot_id=item["hubspot_id"], reason="again", candidates=tuple(reversed(item["candidates"]))),)))
    assert store.review_items() == []


def _review(store, hubspot, key, **kw):
    from syncd.offline.review import decide

    return decide(store, hubspot, key, policy="where_consent", now=NOW, **kw)


def test_accepting_an_offline_record_links_it_and_the_cycle_writes_no_new_lead(loaded):
    from syncd.offline.review import ReviewError

    (hubspot, crm, store, deps), mapping = loaded
    _import(store, hubspot, mapping)
    (item,) = store.review_items()
    with pytest.raises(ReviewError, match="--target"):
        _review(store, hubspot, item["hubspot_id"], accept=True, target=None)
    with pytest.raises(ReviewError, match="not a candidate"):
        _review(store, hubspot, item["hubspot_id"], accept=True, target="00Q999")
    chosen = item["candidates"][0].removeprefix("sf:")
    _review(store, hubspot, item["hubspot_id"], accept=True, target=chosen)
    assert store.review_items() == [] and store.offline_rows(status="review") == []
    (row,) = [r for r in store.offline_rows() if r["line"] == 7]
    assert row["status"] == "merged" and store.id_map([row["hubspot_id"]])[row["hubspot_id"]][1] == chosen
    people = len(_people(crm))
    run_cycle(deps, run_id="r1")
    assert len(_people(crm)) == people + 1  # Rosa only
    with pytest.raises(ReviewError, match="no review item"):
        _review(store, hubspot, item["hubspot_id"], accept=False, target=None)


def test_rejecting_an_offline_record_makes_it_a_new_person(loaded):
    (hubspot, crm, store, deps), mapping = loaded
    _import(store, hubspot, mapping)
    (item,) = store.review_items()
    _review(store, hubspot, item["hubspot_id"], accept=False, target=None)
    (row,) = [r for r in store.offline_rows() if r["line"] == 7]
    assert row["status"] == "created"
    assert hubspot.contacts[row["hubspot_id"]].properties["email"] == "twin@shared.example"


def test_a_hubspot_contact_in_review_accepted_or_rejected(world):
    hubspot, crm, store, deps = world
    first = crm.add("Lead", Email="twin@shared.example", LastName="Twin", Company="Twins")
    crm.add("Lead", Email="twin@shared.example", LastName="Twin", Company="Twins")
    hubspot.put_contact(person("5", "twin@shared.example"))
    hubspot.put_contact(person("6", "twin@shared.example"))
    run_cycle(deps, run_id="r0")
    assert sorted(r["hubspot_id"] for r in store.review_items()) == ["5", "6"]
    _review(store, hubspot, "5", accept=True, target=first)
    _review(store, hubspot, "6", accept=False, target=None)
    store.mark_pending(["5", "6"])
    run_cycle(deps, run_id="r1")
    assert store.review_items() == []  # a rejected pair is not asked again
    assert store.id_map(["5"]) == {"5": ("Lead", first)} and store.id_map(["6"]) == {}
    assert crm.objects["Lead"][first].get("Lead_Score__c") is not None
    assert any(r["code"] == "REVIEW_REJECTED" and r["hubspot_id"] == "6" for r in store.rejects)
