"""Bulk API 2.0 ingest through simple-salesforce's bulk2 client, and job states."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture(autouse=True)
def no_poll_sleep(monkeypatch):
    monkeypatch.setattr("simple_salesforce.bulk2.sleep", lambda _seconds: None)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_bulk2_upsert_reports_failed_rows(sf, org):
    state = org[0]
    result = sf.bulk2.Lead.upsert(records=[
        {"HubSpot_Id__c": "1001", "Title": "Updated", "LastName": ""},
        {"HubSpot_Id__c": "4001", "LastName": "Fresh", "Company": "F"},
        {"HubSpot_Id__c": "1002", "LastName": "Z" * 81, "Title": ""},
        {"HubSpot_Id__c": "4002", "LastName": "NoCompany", "Title": ""},
    ], external_id_field="HubSpot_Id__c")
    assert result[0]["numberRecordsProcessed"] == 4 and result[0]["numberRecordsFailed"] == 2
    job_id = result[0]["job_id"]
    failed = rows(sf.bulk2.Lead.get_failed_records(job_id))
    assert [(r["HubSpot_Id__c"], r["sf__Error"].split(":")[0]) for r in failed] == [
        ("1002", "STRING_TOO_LONG"), ("4002", "REQUIRED_FIELD_MISSING")]
    assert failed[0]["sf__Error"].endswith(":LastName --")
    ok = rows(sf.bulk2.Lead.get_successful_records(job_id))
    assert [(r["HubSpot_Id__c"], r["sf__Created"]) for r in ok] == [("1001", "false"),
                                                                   ("4001", "true")]
    by_key = {r["HubSpot_Id__c"]: r for r in state.records("Lead")}
    assert by_key["1001"]["Title"] == "Updated"
    assert by_key["1001"]["LastName"] == "Last1"  # an empty cell leaves the field alone
    assert ok[1]["sf__Id"] == by_key["4001"]["Id"]


def test_job_moves_through_states_in_chunks(sf, org, session):
    state, settings, served = org
    settings.bulk_records_per_poll = 2
    base = f"{served.url}/services/data/v59.0/jobs/ingest"
    auth = {"Authorization": f"Bearer {sf.session_id}"}
    job = session.post(base, json={"object": "Lead", "operation": "update",
                                   "contentType": "CSV", "lineEnding": "CRLF"},
                       headers=auth).json()
    assert job["state"] == "Open"
    ids = [r["Id"] for r in state.records("Lead")]
    body = "Id,Title\r\n" + "".join(f"{i},T{n}\r\n" for n, i in enumerate(ids))
    put = session.put(f"{base}/{job['id']}/batches", data=body,
                      headers={**auth, "Content-Type": "text/csv"})
    assert put.status_code == 201
    closed = session.patch(f"{base}/{job['id']}", json={"state": "UploadComplete"},
                           headers=auth).json()
    assert closed["state"] == "UploadComplete"
    seen = [session.get(f"{base}/{job['id']}", headers=auth).json() for _ in range(3)]
    assert [(j["state"], j["numberRecordsProcessed"]) for j in seen] == [
        ("InProgress", 2), ("InProgress", 4), ("JobComplete", 5)]
    assert [r["Title"] for r in state.records("Lead")] == [f"T{n}" for n in range(5)]
    assert session.delete(f"{base}/{job['id']}", headers=auth).status_code == 204


def test_unknown_column_fails_the_job_and_abort_keeps_rows_unprocessed(sf, org, session):
    _state, settings, served = org
    base = f"{served.url}/services/data/v59.0/jobs/ingest"
    auth = {"Authorization": f"Bearer {sf.session_id}"}

    def job_with(body: str) -> str:
        job = session.post(base, json={"object": "Lead", "operation": "insert"},
                           headers=auth).json()
        session.put(f"{base}/{job['id']}/batches", data=body, headers=auth)
        return job["id"]
    bad = job_with("LastName,Company,Bogus__c\nA,B,C\n")
    session.patch(f"{base}/{bad}", json={"state": "UploadComplete"}, headers=auth)
    failed = session.get(f"{base}/{bad}", headers=auth).json()
    assert failed["state"] == "Failed"
    assert failed["errorMessage"] == "InvalidBatch : Field name not found : Bogus__c"
    aborted = job_with("LastName,Company\nA,B\n")
    assert session.patch(f"{base}/{aborted}", json={"state": "Aborted"},
                         headers=auth).json()["state"] == "Aborted"
    assert session.get(f"{base}/{aborted}/unprocessedrecords/", headers=auth).text == (
        "LastName,Company\nA,B\n")


@pytest.mark.parametrize(("body", "message"), [
    ({"object": "Lead", "operation": "upsert"}, "External ID was blank"),
    ({"object": "Lead", "operation": "upsert", "externalIdFieldName": "Email"},
     "not an External ID field"),
    ({"object": "Widget", "operation": "insert"}, "Unsupported or unknown object"),
    ({"object": "Lead", "operation": "merge"}, "Unknown operation"),
])
def test_invalid_job_requests(sf, org, session, body, message):
    resp = session.post(f"{org[2].url}/services/data/v59.0/jobs/ingest", json=body,
                        headers={"Authorization": f"Bearer {sf.session_id}"})
    assert resp.status_code == 400
    assert resp.json()[0]["errorCode"] == "INVALIDJOB" and message in resp.json()[0]["message"]


def test_bulk_rows_meet_lock_errors_and_the_duplicate_rule(sf, org):
    settings = org[1]
    settings.lock_error_rate = 1.0
    locked = sf.bulk2.Lead.update(records=[{"Id": r["Id"], "Title": "t"}
                                           for r in org[0].records("Lead")[:3]])
    errors = rows(sf.bulk2.Lead.get_failed_records(locked[0]["job_id"]))
    assert [r["sf__Error"].split(":")[0] for r in errors] == ["UNABLE_TO_LOCK_ROW"] * 3
    settings.lock_error_rate = 0.0
    inserted = sf.bulk2.Lead.insert(records=[
        {"LastName": "Twin", "Company": "C", "Email": "Person3@Example.com"}])
    failed = rows(sf.bulk2.Lead.get_failed_records(inserted[0]["job_id"]))
    assert failed[0]["sf__Error"].startswith("DUPLICATES_DETECTED:")
