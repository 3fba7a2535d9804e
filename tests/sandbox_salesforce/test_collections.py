"""sObject Collections: per-record results in order, allOrNone rollback, the 200 cap."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

PATH = "composite/sobjects/Lead/HubSpot_Id__c"


def rec(**fields) -> dict:
    return {"attributes": {"type": "Lead"}, **fields}


def test_upsert_with_mixed_results_in_request_order(sf, org):
    state = org[0]
    results = sf.restful(PATH, method="PATCH", json={"allOrNone": False, "records": [
        rec(HubSpot_Id__c="1001", Buying_Intent__c="active"),              # update
        rec(HubSpot_Id__c="2001", LastName="New", Company="N"),            # create
        rec(HubSpot_Id__c="1002", Lifecycle_Stage__c="hot"),               # bad picklist
        rec(HubSpot_Id__c="2002", LastName="NoCompany"),                   # required missing
        rec(HubSpot_Id__c="2003", LastName="D1", Company="C"),             # same key twice
        rec(HubSpot_Id__c="2003", LastName="D2", Company="C"),
    ]})
    assert [(r["success"], r["created"]) for r in results] == [
        (True, False), (True, True), (False, False), (False, False), (False, False),
        (False, False)]
    assert [r["errors"][0]["statusCode"] for r in results[2:]] == [
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "REQUIRED_FIELD_MISSING",
        "DUPLICATE_EXTERNAL_ID", "DUPLICATE_EXTERNAL_ID"]
    assert results[2]["errors"][0]["fields"] == ["Lifecycle_Stage__c"]
    by_key = {r["HubSpot_Id__c"]: r for r in state.records("Lead")}
    assert by_key["1001"]["Buying_Intent__c"] == "active" and "2001" in by_key
    assert "2002" not in by_key and "2003" not in by_key


def test_all_or_none_rolls_everything_back(sf, org):
    state = org[0]
    before = state.dump()
    results = sf.restful(PATH, method="PATCH", json={"allOrNone": True, "records": [
        rec(HubSpot_Id__c="1001", Title="Changed"),
        rec(HubSpot_Id__c="3001", LastName="New", Company="C"),
        rec(HubSpot_Id__c="1002", LastName="x" * 100),
    ]})
    assert [r["success"] for r in results] == [False, False, False]
    assert [r["errors"][0]["statusCode"] for r in results] == [
        "ALL_OR_NONE_OPERATION_ROLLED_BACK", "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "STRING_TOO_LONG"]
    after = state.dump()
    assert after["objects"] == before["objects"]


def test_create_and_update_collections(sf, org):
    created = sf.restful("composite/sobjects", method="POST", json={"records": [
        rec(LastName="A", Company="C"), {"LastName": "no type"}]})
    assert created[0]["success"] and created[1]["errors"][0]["statusCode"] == "INVALID_TYPE"
    updated = sf.restful("composite/sobjects", method="PATCH", json={"records": [
        rec(Id=created[0]["id"], Title="CEO"), rec(Title="no id")]})
    assert updated[0] == {"id": created[0]["id"], "success": True, "errors": []}
    assert updated[1]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"
    assert org[0].get("Lead", created[0]["id"])["Title"] == "CEO"


def test_more_than_200_records_is_refused(sf):
    records = [rec(HubSpot_Id__c=str(9000 + i), LastName="L", Company="C") for i in range(201)]
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful(PATH, method="PATCH", json={"records": records})
    assert caught.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_lock_errors_hit_every_row_at_rate_one_and_are_seeded(sf, org):
    settings = org[1]
    settings.lock_error_rate = 1.0
    results = sf.restful(PATH, method="PATCH", json={"records": [
        rec(HubSpot_Id__c="1001", Title="a"), rec(HubSpot_Id__c="1002", Title="b")]})
    assert {r["errors"][0]["statusCode"] for r in results} == {"UNABLE_TO_LOCK_ROW"}

    def failures(seed: int) -> list[bool]:
        settings.lock_error_rate, settings.seed = 0.5, seed  # a new seed restarts the RNG
        out = sf.restful(PATH, method="PATCH", json={"records": [
            rec(HubSpot_Id__c=str(1000 + i), Title="t") for i in range(5)]})
        return [r["success"] for r in out]
    first = failures(7)
    failures(8)
    assert failures(7) == first
    assert False in first and True in first
