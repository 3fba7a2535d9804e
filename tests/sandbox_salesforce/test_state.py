"""The org state: deterministic dumps, seed checking, UI-side writes."""

from __future__ import annotations

import json

import pytest

from syncd_sandbox.salesforce import SalesforceState, SalesforceWriteError

from .conftest import Clock, small_seed


def _history(state: SalesforceState) -> None:
    lead_id = state.insert("Lead", {"LastName": "Ui", "Company": "UiCo", "Email": "ui@x.io"})
    state.update("Lead", lead_id, {"Status": "Working - Contacted"})
    state.convert_lead(lead_id)


def test_same_seed_gives_byte_identical_dumps():
    dumps = []
    for _ in range(2):
        state = SalesforceState.from_seed(small_seed(20), clock=Clock())
        _history(state)
        dumps.append(json.dumps(state.dump(), sort_keys=True))
    assert dumps[0] == dumps[1]
    assert json.dumps(SalesforceState.from_seed(small_seed(21), clock=Clock()).dump(),
                      sort_keys=True) != dumps[0]


@pytest.mark.parametrize(("seed", "message"), [
    ({"leads": [{"LastName": "x", "Colour__c": "red"}]}, "leads[0].Colour__c: no such field"),
    ({"leads": [{"Id": "not-an-id"}]}, "leads[0].Id"),
    ({"contacts": [{"LastName": "x", "CreatedDate": "yesterday"}]},
     "contacts[0].CreatedDate: 'yesterday' is not an ISO datetime"),
    ({"widgets": []}, "unknown key(s) ['widgets']"),
    ({"schema_overrides": {"Widget": {}}}, "unknown object(s) ['Widget']"),
])
def test_bad_seeds_are_reported_with_the_field(seed, message):
    with pytest.raises(ValueError) as caught:
        SalesforceState.from_seed(seed)
    assert message in str(caught.value)


def test_schema_overrides_change_validation():
    seed = {**small_seed(1), "schema_overrides": {"Lead": {"Lead_Profile__c": {"length": 10}}}}
    state = SalesforceState.from_seed(seed, clock=Clock())
    lead_id = state.records("Lead")[0]["Id"]
    with pytest.raises(SalesforceWriteError) as caught:
        state.update("Lead", lead_id, {"Lead_Profile__c": "x" * 11})
    assert caught.value.errors[0].code == "STRING_TOO_LONG"


def test_ui_writes_skip_the_duplicate_rule_but_not_validation():
    state = SalesforceState.from_seed(small_seed(1), clock=Clock())
    state.insert("Lead", {"LastName": "Dup", "Company": "C", "Email": "PERSON0@example.com"})
    assert len(state.records("Lead")) == 2
    with pytest.raises(SalesforceWriteError, match="REQUIRED_FIELD_MISSING"):
        state.insert("Contact", {"FirstName": "No last name"})


def test_convert_lead_into_an_existing_account_copies_the_sync_fields():
    state = SalesforceState.from_seed(small_seed(2), clock=Clock())
    account = state.insert("Account", {"Name": "Existing"})
    lead_id = state.records("Lead")[0]["Id"]
    state.update("Lead", lead_id, {"Lifecycle_Stage__c": "SQL"})
    contact_id, account_id = state.convert_lead(lead_id, account_id=account)
    contact = state.get("Contact", contact_id)
    assert account_id == account and contact["AccountId"] == account
    assert contact["Lifecycle_Stage__c"] == "SQL"
    assert contact["HubSpot_Id__c"] == state.get("Lead", lead_id)["HubSpot_Id__c"]
    with pytest.raises(ValueError, match="already converted"):
        state.convert_lead(lead_id)
