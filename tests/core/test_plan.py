"""Planning Salesforce writes: sync rules, computed fields, and no call when nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.mapping import FieldMapping
from syncd.models import CrmRecord, HubSpotContact
from syncd.sync.plan import Computed, plan_write, transform

NOW = datetime(2026, 11, 1, tzinfo=UTC)
MAPPING = FieldMapping.model_validate({
    "salesforce": {"lead_defaults": {"LastName": "[not provided]", "Company": "[not provided]"}},
    "computed": {"stage": "Lifecycle_Stage__c", "score": "Lead_Score__c", "grade": None, "intent": None,
                 "profile": None, "last_engagement": None},
    "fields": [
        {"hubspot": "firstname", "salesforce": "FirstName"},
        {"hubspot": "jobtitle", "salesforce": "Title", "rule": "always_hubspot"},
        {"hubspot": "phone", "salesforce": "Phone", "rule": "two_way", "transform": "e164"},
        {"hubspot": "company", "lead": "Company"},
        {"hubspot": "hs_secret", "salesforce": "Secret__c", "rule": "dont_sync"},
    ],
})
COMPUTED = Computed(values={"stage": "marketingqualifiedlead", "score": 55})


def hs(**props) -> HubSpotContact:
    return HubSpotContact(id="101", properties={"email": "a@b.io", **props}, updated_at=NOW)


def test_new_person_becomes_a_lead_upserted_on_the_hubspot_id_with_required_defaults():
    plan = plan_write(hs(firstname="Ann", hs_secret="x"), None, COMPUTED, mapping=MAPPING)
    assert plan.mode == "upsert" and plan.object_name == "Lead"
    assert plan.fields == {"HubSpot_Id__c": "101", "FirstName": "Ann", "LastName": "[not provided]",
                           "Company": "[not provided]", "Lifecycle_Stage__c": "marketingqualifiedlead",
                           "Lead_Score__c": 55}


def test_first_link_updates_by_id_and_sets_the_external_id():
    record = CrmRecord(object="Lead", id="00Q1", fields={"FirstName": "Annie", "Title": "CTO"})
    plan = plan_write(hs(firstname="Ann", jobtitle="CEO"), record, COMPUTED, mapping=MAPPING)
    assert plan.mode == "update" and plan.record_id == "00Q1"
    # prefer_salesforce_unless_blank keeps "Annie"; always_hubspot overwrites the title
    assert plan.fields == {"HubSpot_Id__c": "101", "Title": "CEO",
                           "Lifecycle_Stage__c": "marketingqualifiedlead", "Lead_Score__c": 55}


def test_nothing_to_change_plans_no_write():
    record = CrmRecord(object="Contact", id="0031", fields={
        "HubSpot_Id__c": "101", "FirstName": "Ann", "Lifecycle_Stage__c": "marketingqualifiedlead",
        "Lead_Score__c": 55.0})
    assert plan_write(hs(firstname="Ann"), record, COMPUTED, mapping=MAPPING) is None


def test_linked_record_is_upserted_with_only_the_changes():
    record = CrmRecord(object="Contact", id="0031", fields={
        "HubSpot_Id__c": "101", "Lifecycle_Stage__c": "lead", "Lead_Score__c": 55.0})
    plan = plan_write(hs(), record, COMPUTED, mapping=MAPPING)
    assert plan.mode == "upsert"
    assert plan.fields == {"HubSpot_Id__c": "101", "Lifecycle_Stage__c": "marketingqualifiedlead"}
    assert "Company" not in plan.desired  # Contacts have no Company field in this mapping


def test_blank_hubspot_value_never_overwrites_salesforce():
    record = CrmRecord(object="Lead", id="00Q1", fields={"HubSpot_Id__c": "101", "Title": "CTO",
                                                         "Lifecycle_Stage__c": "marketingqualifiedlead",
                                                         "Lead_Score__c": 55})
    assert plan_write(hs(jobtitle="  "), record, COMPUTED, mapping=MAPPING) is None


@pytest.mark.parametrize(("last_written", "sf_phone", "hs_phone", "expect"), [
    ({"Phone": "+14155550100"}, "+14155550199", "(415) 555-0100", None),          # SF edited last: keep
    ({"Phone": "+14155550100"}, "+14155550100", "415 555 0111", "+14155550111"),  # HS changed: write
    ({}, None, "415-555-0100", "+14155550100"),                                   # never written, SF blank
])
def test_two_way_latest_side_wins(last_written, sf_phone, hs_phone, expect):
    record = CrmRecord(object="Lead", id="00Q1", fields={"HubSpot_Id__c": "101", "Phone": sf_phone,
                                                         "Lifecycle_Stage__c": "marketingqualifiedlead",
                                                         "Lead_Score__c": 55})
    plan = plan_write(hs(phone=hs_phone), record, COMPUTED, mapping=MAPPING, last_written=last_written)
    assert (plan.fields.get("Phone") if plan else None) == expect


@pytest.mark.parametrize(("kind", "raw", "out"), [
    ("strip", "  Ann ", "Ann"), ("lower", "A@B.IO", "a@b.io"), ("upper", "de", "DE"),
    ("title", "ann lee", "Ann Lee"), ("e164", "+44 20 7946 0958", "+442079460958"),
    ("e164", "not a phone", "not a phone"), ("strip", "   ", None), ("none", None, None),
])
def test_transforms(kind, raw, out):
    assert transform(kind, raw, region="US") == out


def test_digest_is_stable_and_value_sensitive():
    a = plan_write(hs(firstname="Ann"), None, COMPUTED, mapping=MAPPING)
    b = plan_write(hs(firstname="Ann"), None, COMPUTED, mapping=MAPPING)
    c = plan_write(hs(firstname="Anne"), None, COMPUTED, mapping=MAPPING)
    assert a.digest == b.digest != c.digest
