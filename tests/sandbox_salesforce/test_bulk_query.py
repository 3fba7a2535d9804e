"""Bulk API 2.0 query jobs through simple-salesforce's ``bulk2``, ``queryAll`` over REST, and
the SystemModstamp every write maintains (the change cursor of a local mirror)."""

from __future__ import annotations

import csv
import io

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

MIRROR_FIELDS = ("Id, FirstName, LastName, Email, Phone, MobilePhone, Company, Street, City, "
                 "State, PostalCode, Country, OwnerId, Status, IsConverted, "
                 "ConvertedContactId, HubSpot_Id__c, SystemModstamp, IsDeleted")


@pytest.fixture(autouse=True)
def no_poll_sleep(monkeypatch):
    monkeypatch.setattr("simple_salesforce.bulk2.sleep", lambda _seconds: None)


def rows(pages) -> list[dict]:
    out = []
    for page in pages:
        out += list(csv.DictReader(io.StringIO(page)))
    return out


def test_a_query_job_returns_every_lead_as_csv_in_pages(sf, org):
    state = org[0]
    state.update("Lead", state.records("Lead")[0]["Id"], {"City": "Lyon", "MobilePhone": "+33 6"})
    pages = list(sf.bulk2.Lead.query(f"SELECT {MIRROR_FIELDS} FROM Lead ORDER BY HubSpot_Id__c",
                                     max_records=2, wait=0))
    assert len(pages) == 3  # 5 leads, 2 a page
    got = rows(pages)
    assert [r["HubSpot_Id__c"] for r in got] == ["1000", "1001", "1002", "1003", "1004"]
    assert list(got[0]) == [f.strip() for f in MIRROR_FIELDS.split(",")]
    assert got[0]["City"] == "Lyon" and got[0]["MobilePhone"] == "+33 6"
    assert got[0]["IsConverted"] == "false" and got[1]["Street"] == ""
    assert got[0]["SystemModstamp"] == state.get("Lead", got[0]["Id"])["SystemModstamp"]


def test_contacts_come_with_their_account_name(sf, org):
    state = org[0]
    contact_id, account_id = state.convert_lead(state.records("Lead")[1]["Id"])
    got = rows(sf.bulk2.Contact.query("SELECT Id, AccountId, Account.Name, MailingCity FROM "
                                      "Contact", wait=0))
    assert got == [{"Id": contact_id, "AccountId": account_id, "Account.Name": "Company 1",
                    "MailingCity": ""}]


def test_query_all_jobs_and_rest_query_all_include_deleted_rows(sf, org):
    state = org[0]
    gone = state.records("Lead")[2]["Id"]
    sf.Lead.delete(gone)
    live = rows(sf.bulk2.Lead.query("SELECT Id, IsDeleted FROM Lead", wait=0))
    every = rows(sf.bulk2.Lead.query_all("SELECT Id, IsDeleted FROM Lead", wait=0))
    assert gone not in {r["Id"] for r in live} and len(live) == 4
    assert {r["Id"]: r["IsDeleted"] for r in every}[gone] == "true" and len(every) == 5
    rest = sf.query_all("SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true",
                        include_deleted=True)["records"]
    assert [(r["Id"], r["IsDeleted"]) for r in rest] == [(gone, True)]


def test_results_carry_the_locator_and_the_count_of_their_page(sf, org):
    job = sf.bulk2.Lead._client.create_job("query", "SELECT Id FROM Lead")
    with pytest.raises(SalesforceMalformedRequest) as early:
        sf.bulk2.Lead._client.get_query_results(job["id"], max_records=3)
    assert early.value.content[0]["errorCode"] == "INVALIDJOBSTATE"
    assert job["state"] == "UploadComplete"
    assert sf.bulk2.Lead._client.get_job(job["id"], True)["state"] == "JobComplete"
    first = sf.bulk2.Lead._client.get_query_results(job["id"], max_records=3)
    assert first["number_of_records"] == 3 and first["locator"]
    second = sf.bulk2.Lead._client.get_query_results(job["id"], first["locator"], 3)
    assert second["number_of_records"] == 2 and second["locator"] == ""
    again = sf.bulk2.Lead._client.get_query_results(job["id"], first["locator"], 3)
    assert again["records"] == second["records"]  # a locator can be read again


@pytest.mark.parametrize(("soql", "code"), [
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY"),
    ("SELECT Nope__c FROM Lead", "INVALID_FIELD"),
    ("SELECT COUNT() FROM Lead", "INVALIDJOB"),
])
def test_a_bad_query_fails_when_the_job_is_created(sf, soql, code):
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.bulk2.Lead._client.create_job("query", soql)
    assert caught.value.content[0]["errorCode"] == code


def test_jobs_are_listed_aborted_and_deleted(sf):
    client = sf.bulk2.Lead._client
    job = client.create_job("query", "SELECT Id FROM Lead")
    listed = sf.restful("jobs/query")["records"]
    assert [j["id"] for j in listed] == [job["id"]] and listed[0]["jobType"] == "V2Query"
    assert client.abort_job(job["id"], True)["state"] == "Aborted"
    # 204 No Content, as documented (simple-salesforce's delete_job would parse it as JSON)
    assert sf.restful(f"jobs/query/{job['id']}", method="DELETE") is None
    assert sf.restful("jobs/query")["records"] == []
    assert sf.limits()["DailyBulkV2QueryJobs"]["Remaining"] == 9999


def test_every_write_moves_system_modstamp_and_soql_filters_on_it(sf, org, clock):
    state = org[0]
    before = sf.query("SELECT SystemModstamp FROM Lead ORDER BY SystemModstamp DESC LIMIT 1")
    mark = before["records"][0]["SystemModstamp"]
    clock.advance(60)
    ids = [r["Id"] for r in state.records("Lead")]
    sf.Lead.update(ids[0], {"Title": "CTO"})
    sf.restful("composite/sobjects", method="PATCH", json={"records": [
        {"attributes": {"type": "Lead"}, "Id": ids[1], "Status": "Working - Contacted"}]})
    sf.Lead.delete(ids[2])
    changed = sf.query_all(f"SELECT Id, IsDeleted, SystemModstamp FROM Lead WHERE "
                           f"SystemModstamp > {mark.replace('.000+0000', 'Z')}",
                           include_deleted=True)["records"]
    assert sorted(r["Id"] for r in changed) == sorted(ids[:3])
    assert all(r["SystemModstamp"] > mark for r in changed)


def test_a_job_reads_the_org_as_it_was_when_the_job_was_created(sf, org):
    state = org[0]
    first = state.records("Lead")[0]
    client = sf.bulk2.Lead._client
    job = client.create_job("query", f"SELECT Id, Title FROM Lead WHERE Id = '{first['Id']}'")
    sf.Lead.update(first["Id"], {"Title": "Changed after"})
    client.get_job(job["id"], True)
    got = rows([client.get_query_results(job["id"])["records"]])
    assert got == [{"Id": first["Id"], "Title": ""}]
