"""Every reference in the seeds points at something that exists, as the emulators need."""

from __future__ import annotations

from collections import Counter

import pytest

from syncd_sandbox.world._ids import sf_checksum
from syncd_sandbox.world.salesforce_seed import LEAD_STATUSES

from .activity_index import activity_by_contact, ts

PREFIX = {"users": "005", "accounts": "001", "leads": "00Q", "contacts": "003",
          "opportunities": "006"}


def test_every_engagement_belongs_to_an_existing_contact(world):
    hs = world.hubspot
    ids = {c["id"] for c in hs["contacts"]}
    emails = {c["properties"]["email"] for c in hs["contacts"] if c["properties"]["email"]}
    assert {e["recipient"] for e in hs["email_events"]} <= emails
    assert {e["objectId"] for e in hs["events"]} <= ids
    submitted = {v["value"] for f in hs["form_submissions"] for v in f["values"] if v["name"] == "email"}
    assert submitted <= emails
    linked = {cid for rows in hs["engagements"].values() for r in rows for cid in r["contact_ids"]}
    assert linked and linked <= ids
    assert {f["formGuid"] for f in hs["form_submissions"]} <= {f["id"] for f in hs["forms"]}


def test_ids_are_unique_per_stream(world):
    hs = world.hubspot
    streams = {"contacts": [c["id"] for c in hs["contacts"]],
               "email_events": [e["id"] for e in hs["email_events"]],
               "events": [e["id"] for e in hs["events"]],
               "conversions": [f["conversionId"] for f in hs["form_submissions"]],
               "engagements": [r["id"] for rows in hs["engagements"].values() for r in rows]}
    for name, ids in streams.items():
        assert len(ids) == len(set(ids)), name
    emails = [c["properties"]["email"] for c in hs["contacts"] if c["properties"]["email"]]
    assert len(emails) == len({e.lower() for e in emails})


def test_hubspot_owners_exist_and_salesforce_users_are_the_same_people(world):
    owners = {o["id"]: o["email"] for o in world.hubspot["owners"]}
    used = {c["properties"]["hubspot_owner_id"] for c in world.hubspot["contacts"]} - {None}
    used |= {r["properties"].get("hubspot_owner_id") for rows in world.hubspot["engagements"].values()
             for r in rows} - {None}
    assert used and used <= set(owners)
    assert set(owners.values()) <= {u["Email"] for u in world.salesforce["users"]}


def test_salesforce_references_resolve(world):
    sf = world.salesforce
    users = {u["Id"] for u in sf["users"]}
    accounts = {a["Id"] for a in sf["accounts"]}
    contacts = {c["Id"] for c in sf["contacts"]}
    for table in ("accounts", "leads", "contacts", "opportunities"):
        assert {r["OwnerId"] for r in sf[table]} <= users, table
    assert {c["AccountId"] for c in sf["contacts"]} <= accounts
    assert {o["AccountId"] for o in sf["opportunities"]} <= accounts
    converted = [lead for lead in sf["leads"] if lead["IsConverted"]]
    assert converted
    for lead in converted:
        assert lead["ConvertedContactId"] in contacts and lead["ConvertedAccountId"] in accounts
        assert lead["Status"] == "Closed - Converted" and lead["ConvertedDate"]
    assert {lead["Status"] for lead in sf["leads"]} <= {s["ApiName"] for s in LEAD_STATUSES}


def test_salesforce_ids_have_the_right_prefix_and_checksum(world):
    assert PREFIX and all(world.salesforce[table] for table in PREFIX), "every table has records"
    for table, prefix in PREFIX.items():
        for r in world.salesforce[table]:
            assert len(r["Id"]) == 18 and r["Id"].startswith(prefix), r["Id"]
            assert r["Id"][15:] == sf_checksum(r["Id"][:15])


def test_hubspot_id_crosswalk_is_unique_per_object_and_points_at_the_same_person(world):
    truth, hs_ids = world.truth, {c["id"] for c in world.hubspot["contacts"]}
    for table in ("leads", "contacts"):
        linked = [r for r in world.salesforce[table] if r["HubSpot_Id__c"]]
        assert linked, table
        assert max(Counter(r["HubSpot_Id__c"] for r in linked).values()) == 1
        for r in linked:
            assert r["HubSpot_Id__c"] in hs_ids
            assert truth["hubspot_person"][r["HubSpot_Id__c"]] == truth["salesforce_person"][r["Id"]]
        assert len(linked) < len(world.salesforce[table]) / 2  # most are not linked yet


def test_duplicates_are_the_same_person_with_matching_emails(world):
    records = {r["Id"]: r for t in ("leads", "contacts") for r in world.salesforce[t]}
    groups = world.truth["salesforce_duplicates"]
    assert groups
    for group in groups:
        assert len({world.truth["salesforce_person"][i] for i in group}) == 1
        emails = {records[i]["Email"].lower() for i in group if records[i]["Email"]}
        assert len(emails) <= 1, group
    for primary, second in world.truth["hubspot_duplicates"]:
        assert world.truth["hubspot_person"][primary] == world.truth["hubspot_person"][second]


def test_salesforce_holds_imperfect_copies(world):
    people = world.truth["people"]
    records = [r for t in ("leads", "contacts") for r in world.salesforce[t]]
    other_case = [r for r in records if r["Email"] and r["Email"] != r["Email"].lower()]
    assert other_case
    for r in other_case:
        assert r["Email"].lower() == people[world.truth["salesforce_person"][r["Id"]]]["email"]
    only_sf = [k for k, p in people.items() if p["persona"] == "salesforce_only" and p["salesforce_ids"]]
    assert only_sf and all(not people[k]["hubspot_ids"] for k in only_sf)
    every = {r["Id"] for r in records}
    assert every == set(world.truth["salesforce_person"])


def test_contact_values_are_strings_or_null(world):
    for c in world.hubspot["contacts"]:
        assert all(v is None or isinstance(v, str) for v in c["properties"].values()), c["id"]
    missing = [c for c in world.hubspot["contacts"] if not c["properties"]["email"]]
    assert 0 < len(missing) < 20


@pytest.mark.parametrize("which", ["world", "big_world"])
def test_activity_lies_between_a_contacts_creation_and_its_last_modification(request, which):
    world = request.getfixturevalue(which)
    activity = activity_by_contact(world.hubspot)
    active = [c for c in world.hubspot["contacts"] if activity.get(c["id"])]
    assert len(active) >= 10, "the world has contacts with activity to check"
    for c in world.hubspot["contacts"]:
        signals = [t for t, _ in activity.get(c["id"], [])]
        if signals:
            assert ts(c["createdAt"]) <= min(signals), c["id"]
            assert max(signals) <= ts(c["updatedAt"]), c["id"]
