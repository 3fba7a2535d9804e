"""Accounting tags, rows by external id, Collections by ids, Tasks, concurrent clients."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from simple_salesforce.exceptions import SalesforceResourceNotFound

from syncd_sandbox.salesforce import create_app


def test_every_request_is_tagged_for_call_accounting(sf, org, switch, session):
    state, settings, served = org
    seen = []
    inner = create_app(state, settings)

    def accounting(environ, start_response):
        response = inner(environ, start_response)
        seen.append((environ["sandbox.system"], environ.get("sandbox.endpoint"),
                     environ.get("sandbox.records")))
        return response
    switch[0].app = accounting
    sf.query("SELECT Id FROM Lead")
    sf.Lead.upsert("HubSpot_Id__c/1001", {"Title": "x"})
    sf.restful("composite/sobjects/Lead/HubSpot_Id__c", method="PATCH", json={"records": [
        {"attributes": {"type": "Lead"}, "HubSpot_Id__c": "1002", "Title": "y"}]})
    session.get(f"{served.url}/services/data/v59.0/nowhere",
                headers={"Authorization": f"Bearer {sf.session_id}"})
    assert seen == [
        ("salesforce", "GET /services/data/{v}/query", 5),
        ("salesforce", "PATCH /services/data/{v}/sobjects/{object}/{field}/{value}", 1),
        ("salesforce", "PATCH /services/data/{v}/composite/sobjects/{object}/{field}", 1),
        ("salesforce", None, None),  # unknown routes are left to the accounting's path rule
    ]


def test_get_and_delete_by_external_id(sf, org):
    got = sf.Lead.get_by_custom_id("HubSpot_Id__c", "1002")
    assert got["HubSpot_Id__c"] == "1002" and got["attributes"]["type"] == "Lead"
    assert sf.restful("sobjects/Lead/HubSpot_Id__c/1002", method="DELETE") is None
    with pytest.raises(SalesforceResourceNotFound):
        sf.Lead.get_by_custom_id("HubSpot_Id__c", "1002")
    assert org[0].dump()["objects"]["Lead"][2]["IsDeleted"] is True


def test_collections_retrieve_and_delete_by_ids(sf, org):
    ids = [r["Id"] for r in org[0].records("Lead")][:2]
    got = sf.restful("composite/sobjects/Lead", params={
        "ids": ",".join([*ids, "00Q5e000000XXXXXXX"]), "fields": "Email,Status"})
    assert [r and r["Email"] for r in got] == ["person0@example.com", "person1@example.com",
                                               None]
    deleted = sf.restful("composite/sobjects", method="DELETE",
                         params={"ids": ",".join([ids[0], "00Q5e000000XXXXXXX"]),
                                 "allOrNone": "true"})
    assert [r["success"] for r in deleted] == [False, False]
    assert deleted[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert len(org[0].records("Lead")) == 5


def test_task_upsert_by_syncd_key_and_polymorphic_who(sf, org):
    lead_id = org[0].records("Lead")[0]["Id"]
    task = {"attributes": {"type": "Task"}, "Syncd_Key__c": "sla:1000:2026-03-02",
            "WhoId": lead_id, "Subject": "Follow up within 24h", "ActivityDate": "2026-03-03"}
    path = "composite/sobjects/Task/Syncd_Key__c"
    first = sf.restful(path, method="PATCH", json={"records": [task]})
    again = sf.restful(path, method="PATCH", json={"records": [task]})
    assert (first[0]["created"], again[0]["created"]) == (True, False)
    assert first[0]["id"] == again[0]["id"]
    rows = sf.query("SELECT Subject, Status, Priority, Who.Name FROM Task "
                    "WHERE ActivityDate = 2026-03-03")["records"]
    assert len(rows) == 1
    assert (rows[0]["Status"], rows[0]["Priority"]) == ("Not Started", "Normal")
    assert rows[0]["Who"]["attributes"]["type"] == "Lead"
    assert rows[0]["Who"]["Name"] == "First0 Last0"
    bad = sf.restful(path, method="PATCH", json={"records": [
        {**task, "Syncd_Key__c": "k2", "WhoId": org[0].integration_user_id}]})
    assert bad[0]["errors"][0]["statusCode"] == "INVALID_CROSS_REFERENCE_KEY"


def test_concurrent_clients_see_consistent_results(sf, org):
    def upsert(n: int) -> bool:
        out = sf.restful("composite/sobjects/Lead/HubSpot_Id__c", method="PATCH", json={
            "records": [{"attributes": {"type": "Lead"}, "HubSpot_Id__c": f"{n}-{i}",
                         "LastName": "P", "Company": "C"} for i in range(50)]})
        return all(r["success"] for r in out)
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(upsert, range(8)))
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 5 + 8 * 50
