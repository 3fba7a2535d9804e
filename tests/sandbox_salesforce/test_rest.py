"""Query paging, sObject CRUD, upsert by external id and write validation over REST."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import (SalesforceMalformedRequest,
                                          SalesforceMoreThanOneRecord,
                                          SalesforceResourceNotFound)

from .conftest import small_seed

PAGED = small_seed(450)
DUPLICATED = small_seed(3)
DUPLICATED["leads"][0]["Id"] = "00Q5e000009YYYYYYY"
DUPLICATED["leads"].append({**DUPLICATED["leads"][0], "Id": "00Q5e000009ZZZZZZZ",
                            "Email": "other@example.com"})


@pytest.mark.parametrize("org", [PAGED], indirect=True)
def test_query_all_iter_follows_next_records_url_across_pages(sf, org):
    pages = []
    first = sf.query("SELECT Id FROM Lead", headers={"Sforce-Query-Options": "batchSize=200"})
    pages.append(len(first["records"]))
    assert first["totalSize"] == 450 and not first["done"]
    assert first["nextRecordsUrl"].startswith("/services/data/v59.0/query/01g")
    rows = list(sf.query_all_iter("SELECT Id, Email FROM Lead ORDER BY Email",
                                  headers={"Sforce-Query-Options": "batchSize=200"}))
    assert len(rows) == 450
    assert [r["Email"] for r in rows] == sorted(r["Email"] for r in rows)
    assert len({r["Id"] for r in rows}) == 450
    assert pages == [200]


def test_query_all_includes_deleted_records(sf, org):
    target = sf.query("SELECT Id FROM Lead LIMIT 1")["records"][0]["Id"]
    sf.Lead.delete(target)
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 4
    deleted = sf.query_all("SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true",
                           include_deleted=True)
    assert [r["Id"] for r in deleted["records"]] == [target]
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Lead.get(target)
    assert caught.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Lead.update(target, {"Title": "x"})


def test_create_get_update_stamp_system_fields(sf, org, clock):
    created = sf.Lead.create({"LastName": "Nguyen", "Company": "Acme", "Email": "n@acme.io"})
    assert created["success"] and created["id"].startswith("00Q") and len(created["id"]) == 18
    clock.advance(60)
    assert sf.Lead.update(created["id"], {"Title": "CTO", "Lead_Score__c": 42}) == 204
    got = sf.Lead.get(created["id"])
    assert got["Title"] == "CTO" and got["Lead_Score__c"] == 42.0
    assert got["Status"] == "Open - Not Contacted"  # the org's default status
    assert got["CreatedDate"] == "2026-03-02T09:00:00.000+0000"
    assert got["LastModifiedDate"] == got["SystemModstamp"] == "2026-03-02T09:01:00.000+0000"
    assert sf.Lead.get(created["id"][:15])["Id"] == created["id"]  # 15-char ids work too


@pytest.mark.parametrize("org", [DUPLICATED], indirect=True)
def test_upsert_by_external_id_created_updated_and_multiple(sf, org):
    state = org[0]
    created = sf.Lead.upsert("HubSpot_Id__c/5001", {"LastName": "New", "Company": "N"},
                             raw_response=True)
    assert created.status_code == 201 and created.json()["created"] is True
    updated = sf.Lead.upsert("HubSpot_Id__c/1001", {"Title": "VP"}, raw_response=True)
    assert updated.status_code == 200 and updated.json()["created"] is False
    assert [r["Title"] for r in state.records("Lead") if r["HubSpot_Id__c"] == "1001"] == ["VP"]
    with pytest.raises(SalesforceMoreThanOneRecord) as caught:
        sf.Lead.upsert("HubSpot_Id__c/1000", {"Title": "x"})
    assert caught.value.status == 300
    assert sorted(caught.value.content) == sorted(
        f"/services/data/v59.0/sobjects/Lead/{i}"
        for i in ("00Q5e000009ZZZZZZZ", DUPLICATED["leads"][0]["Id"]))
    with pytest.raises(SalesforceResourceNotFound) as caught:
        sf.Lead.upsert("Email/a@b.com", {"Title": "x"})
    assert caught.value.content[0]["errorCode"] == "NOT_FOUND"


def test_upsert_answers_204_before_api_46(org, session, sf):
    url = f"{org[2].url}/services/data/v45.0/sobjects/Lead/HubSpot_Id__c/1001"
    resp = session.patch(url, json={"Title": "Dr"},
                         headers={"Authorization": f"Bearer {sf.session_id}"})
    assert resp.status_code == 204


@pytest.mark.parametrize(("payload", "code", "fields"), [
    ({"LastName": "x" * 81, "Company": "c"}, "STRING_TOO_LONG", ["LastName"]),
    ({"LastName": "x", "Company": "c", "Status": "Hot"},
     "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["Status"]),
    ({"LastName": "x"}, "REQUIRED_FIELD_MISSING", ["Company"]),
    ({"LastName": "x", "Company": "c", "Nope__c": 1}, "INVALID_FIELD", ["Nope__c"]),
    ({"LastName": "x", "Company": "c", "IsConverted": True},
     "INVALID_FIELD_FOR_INSERT_UPDATE", ["IsConverted"]),
    ({"LastName": "x", "Company": "c", "Lead_Score__c": 123456},
     "NUMBER_OUTSIDE_VALID_RANGE", ["Lead_Score__c"]),
    ({"LastName": "x", "Company": "c", "HubSpot_Id__c": "1001"}, "DUPLICATE_VALUE",
     ["HubSpot_Id__c"]),
    ({"LastName": "x", "Company": "c", "OwnerId": "00Q5e000000AAAAAAA"},
     "INVALID_CROSS_REFERENCE_KEY", ["OwnerId"]),
])
def test_write_validation_errors(sf, payload, code, fields):
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.create(payload)
    assert caught.value.content[0]["errorCode"] == code
    assert caught.value.content[0]["fields"] == fields


def test_duplicate_rule_on_lead_email_unless_allow_save(sf, org):
    payload = {"LastName": "Twin", "Company": "C", "Email": "PERSON2@example.com"}
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.create(payload)
    assert caught.value.content[0]["errorCode"] == "DUPLICATES_DETECTED"
    allowed = sf.Lead.create(payload, headers={
        "Sforce-Duplicate-Rule-Header": "allowSave=true"})
    assert allowed["success"]


def test_converted_lead_cannot_be_updated(sf, org):
    state = org[0]
    lead_id = state.records("Lead")[0]["Id"]
    contact_id, account_id = state.convert_lead(lead_id)
    converted = sf.Lead.get(lead_id)
    assert converted["IsConverted"] and converted["ConvertedContactId"] == contact_id
    assert converted["Status"] == "Closed - Converted"
    assert sf.Contact.get(contact_id)["AccountId"] == account_id
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.update(lead_id, {"Title": "x"})
    assert caught.value.content[0]["errorCode"] == "CANNOT_UPDATE_CONVERTED_LEAD"
    # A new Lead with the converted Lead's email is not a duplicate of it.
    assert sf.Lead.create({"LastName": "Again", "Company": "C",
                           "Email": converted["Email"]})["success"]


def test_lock_errors_at_rate_one(sf, org):
    org[1].lock_error_rate = 1.0
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Lead.upsert("HubSpot_Id__c/1001", {"Title": "x"})
    assert caught.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"


def test_describe_reports_schema_attributes(sf):
    fields = {f["name"]: f for f in sf.Lead.describe()["fields"]}
    assert fields["HubSpot_Id__c"]["externalId"] and fields["HubSpot_Id__c"]["unique"]
    assert fields["HubSpot_Id__c"]["length"] == 32
    assert fields["Status"]["restrictedPicklist"]
    assert [p["value"] for p in fields["Buying_Intent__c"]["picklistValues"]] == ["passive",
                                                                                  "active"]
    assert (fields["Lead_Score__c"]["precision"], fields["Lead_Score__c"]["scale"]) == (5, 0)
    assert not fields["IsConverted"]["updateable"] and not fields["LastName"]["nillable"]
    names = {o["name"] for o in sf.describe()["sobjects"]}
    assert {"Lead", "Contact", "Account", "Opportunity", "Task", "User", "LeadStatus"} <= names


def test_lead_statuses_are_queryable(sf):
    rows = sf.query("SELECT ApiName, IsConverted FROM LeadStatus ORDER BY SortOrder")["records"]
    assert [r["ApiName"] for r in rows][-1] == "Closed - Converted" and rows[-1]["IsConverted"]


def test_unknown_route_and_version_agnostic_paths(sf, org, session):
    assert sf.restful("sobjects", method="GET")["sobjects"]
    headers = {"Authorization": f"Bearer {sf.session_id}"}
    resp = session.get(f"{org[2].url}/services/data/v62.0/query",
                       params={"q": "SELECT COUNT() FROM Lead"}, headers=headers)
    assert resp.json()["totalSize"] == 5
    missing = session.get(f"{org[2].url}/services/data/v59.0/nothing", headers=headers)
    assert missing.status_code == 404 and missing.json()[0]["errorCode"] == "NOT_FOUND"
