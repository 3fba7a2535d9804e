"""Tasks, Events and what the org derives from them; Lead statuses, users and queues — all
through simple-salesforce."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from .conftest import QUEUE, USER


def _lead(org) -> str:
    return org[0].records("Lead")[0]["Id"]


def _task(who: str, key: str, **extra) -> dict:
    return {"attributes": {"type": "Task"}, "WhoId": who, "OwnerId": USER,
            "Subject": "Follow up", "Priority": "High", "Status": "Not Started",
            "ActivityDate": "2026-03-04", "Description": "Profile: asked for a demo",
            "Syncd_Key__c": key, **extra}


def test_upserting_tasks_by_their_key_creates_each_once(sf, org):
    who = _lead(org)
    body = {"allOrNone": False, "records": [_task(who, "k1"), _task(who, "k2")]}
    first = sf.restful("composite/sobjects/Task/Syncd_Key__c", method="PATCH", json=body)
    again = sf.restful("composite/sobjects/Task/Syncd_Key__c", method="PATCH", json=body)
    assert [r["created"] for r in first] == [True, True]
    assert [r["created"] for r in again] == [False, False]
    assert [r["id"] for r in again] == [r["id"] for r in first]
    tasks = sf.query("SELECT Id, WhoId, OwnerId, Subject, Priority, Status, ActivityDate, "
                     "Description, IsClosed, Syncd_Key__c FROM Task ORDER BY Syncd_Key__c")
    assert tasks["totalSize"] == 2
    row = tasks["records"][0]
    assert (row["WhoId"], row["OwnerId"], row["Priority"], row["ActivityDate"],
            row["IsClosed"]) == (who, USER, "High", "2026-03-04", False)


def test_a_task_key_is_unique_and_rest_upsert_reuses_it(sf, org):
    who = _lead(org)
    created = sf.Task.upsert("Syncd_Key__c/k9", {"WhoId": who, "Subject": "Call"})
    assert created == 201
    assert sf.Task.upsert("Syncd_Key__c/k9", {"Subject": "Call back"}) == 200
    with pytest.raises(SalesforceMalformedRequest) as dup:
        sf.Task.create({"WhoId": who, "Subject": "x", "Syncd_Key__c": "K9"})
    assert dup.value.content[0]["errorCode"] == "DUPLICATE_VALUE"
    assert sf.query("SELECT Subject FROM Task")["records"][0]["Subject"] == "Call back"


def test_completing_a_task_closes_it_and_moves_the_leads_last_activity(sf, org, clock):
    who = _lead(org)
    task_id = sf.Task.create({"WhoId": who, "Subject": "Call", "ActivityDate": "2026-03-05"})["id"]
    assert sf.Lead.get(who)["LastActivityDate"] is None  # an open task is no activity
    before = sf.Lead.get(who)
    clock.advance(3600)
    sf.Task.update(task_id, {"Status": "Completed"})
    task = sf.Task.get(task_id)
    assert task["IsClosed"] is True and task["CompletedDateTime"].startswith("2026-03-02T10:00")
    lead = sf.Lead.get(who)
    assert lead["LastActivityDate"] == "2026-03-05"
    # an automated update: the cursor field moves, the user-edit field does not
    assert lead["SystemModstamp"] > before["SystemModstamp"]
    assert lead["LastModifiedDate"] == before["LastModifiedDate"]
    sf.Task.update(task_id, {"Status": "In Progress"})
    assert sf.Task.get(task_id)["CompletedDateTime"] is None


def test_an_event_moves_last_activity_forward_never_back(sf, org):
    who = _lead(org)
    sf.Event.create({"WhoId": who, "Subject": "Demo", "StartDateTime": "2026-03-06T14:00:00Z",
                     "EndDateTime": "2026-03-06T14:45:00Z"})
    sf.Event.create({"WhoId": who, "Subject": "Intro", "StartDateTime": "2026-02-01T09:00:00Z",
                     "EndDateTime": "2026-02-01T09:30:00Z"})
    events = sf.query("SELECT ActivityDate, DurationInMinutes FROM Event ORDER BY ActivityDate")
    assert [(e["ActivityDate"], e["DurationInMinutes"]) for e in events["records"]] == [
        ("2026-02-01", 30), ("2026-03-06", 45)]
    assert sf.Lead.get(who)["LastActivityDate"] == "2026-03-06"


def test_an_event_that_ends_before_it_starts_is_refused(sf, org):
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Event.create({"WhoId": _lead(org), "StartDateTime": "2026-03-06T14:00:00Z",
                         "EndDateTime": "2026-03-06T13:00:00Z"})
    assert caught.value.content[0]["errorCode"] == "FIELD_INTEGRITY_EXCEPTION"


def test_lead_status_values_include_not_contacted_and_closed_ones(sf):
    status = next(f for f in sf.Lead.describe()["fields"] if f["name"] == "Status")
    values = [v["value"] for v in status["picklistValues"]]
    assert values[0] == "Open - Not Contacted" and status["picklistValues"][0]["defaultValue"]
    assert {"Working - Contacted", "Nurture", "Closed - Not Converted",
            "Closed - Converted"} <= set(values)
    converted = sf.query("SELECT ApiName FROM LeadStatus WHERE IsConverted = true")
    assert [r["ApiName"] for r in converted["records"]] == ["Closed - Converted"]


def test_users_and_queues_are_queryable_and_a_lead_can_sit_in_a_queue(sf, org):
    users = sf.query("SELECT Id, Email, IsActive FROM User")["records"]
    assert [(u["Id"], u["Email"]) for u in users] == [(USER, "owner@x.example")]
    queues = sf.query("SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'")
    assert [(q["Id"], q["DeveloperName"]) for q in queues["records"]] == [(QUEUE, "Inbound_Leads")]
    who = _lead(org)
    sf.Lead.update(who, {"OwnerId": QUEUE})
    owned = sf.query(f"SELECT Owner.Name FROM Lead WHERE Id = '{who}'")["records"][0]
    assert owned["Owner"]["Name"] == "Inbound Leads"
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.Task.create({"WhoId": who, "OwnerId": QUEUE})
    assert caught.value.content[0]["errorCode"] == "INVALID_CROSS_REFERENCE_KEY"


def test_groups_are_not_written_through_the_api(sf):
    results = sf.restful("composite/sobjects", method="POST", json={"records": [
        {"attributes": {"type": "Group"}, "Name": "Mine"}]})
    assert results[0]["errors"][0]["statusCode"] == "INVALID_TYPE"
