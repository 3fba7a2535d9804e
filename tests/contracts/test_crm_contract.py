"""The ``CrmGateway`` contract, run over the in-memory fake and over the real gateway against
the Salesforce emulator (TLS, simple-salesforce): what the pipeline relies on, held by both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.testing import MemoryCrm
from syncd.timefmt import as_instant

OWNER = "0055e000001AAAAAAA"
SEEDED = "2026-01-01T00:00:00.000Z"
TASK_FIELDS = ("Syncd_Key__c", "Subject", "WhoId", "OwnerId", "Status", "Priority", "ActivityDate", "Description")
LEAD_FIELDS = ("FirstName", "LastName", "Email", "Company", "Status", "OwnerId", "HubSpot_Id__c",
               "IsConverted", "ConvertedContactId", "Lead_Score__c", "Lifecycle_Stage__c")


def _lead(n: int, email: str, **extra) -> dict:
    return {"Id": f"00Q5e00000000{n:02d}AAA", "FirstName": f"F{n}", "LastName": f"L{n}", "Email": email,
            "Company": f"Co {n}", "Status": "Open - Not Contacted", "OwnerId": OWNER,
            "HubSpot_Id__c": str(1000 + n), **extra}


LEADS = [_lead(1, "Ada@Example.com"), _lead(2, "bo@example.org"),
         _lead(3, "grace@example.com", IsConverted=True, ConvertedContactId="0035e0000000001AAA")]
CONTACTS = [{"Id": "0035e0000000001AAA", "FirstName": "Grace", "LastName": "Hopper", "Email": "GRACE@example.com",
             "AccountId": "0015e0000000001AAA", "OwnerId": OWNER, "HubSpot_Id__c": "2001"}]
OPPORTUNITIES = [{"Id": "0065e0000000001AAA", "AccountId": "0015e0000000001AAA", "Name": "Deal",
                  "StageName": "Closed Won", "IsClosed": True, "IsWon": True, "CloseDate": "2026-02-01"}]


def _memory() -> MemoryCrm:
    crm = MemoryCrm(schemas={"Lead": LEAD_FIELDS, "Contact": ("FirstName", "LastName", "Email", "AccountId",
                                                              "OwnerId", "HubSpot_Id__c", "Lead_Score__c"),
                           "Task": TASK_FIELDS})
    for row in LEADS:
        crm.add("Lead", **row)
    for row in CONTACTS:
        crm.add("Contact", **row)
    for row in OPPORTUNITIES:
        crm.add("Opportunity", **row)
    return crm


def _salesforce(tmp_path_factory, monkeypatch):
    from connectors.salesforce import SalesforceClientSettings, SalesforceGateway
    from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
    from syncd_sandbox.server import LocalCA, serve

    monkeypatch.setattr("simple_salesforce.bulk2.sleep", lambda seconds: None)
    stamp = {"CreatedDate": SEEDED, "LastModifiedDate": SEEDED}
    seed = {"org_id": "00D5e000000AbCdEAK",
            "users": [{"Id": OWNER, "Username": "olive@sandbox.example", "Email": "olive@x.example",
                       "FirstName": "Olive", "LastName": "Owner", "IsActive": True}],
            "accounts": [{"Id": "0015e0000000001AAA", "Name": "Engines", "OwnerId": OWNER}],
            "leads": [{**r, **stamp} for r in LEADS], "contacts": [{**r, **stamp} for r in CONTACTS],
            "opportunities": [{**r, "OwnerId": OWNER, **stamp} for r in OPPORTUNITIES]}
    ca = LocalCA(tmp_path_factory.mktemp("ca"))
    knobs = SalesforceSettings()
    served = serve(create_app(SalesforceState.from_seed(seed, clock=lambda: datetime(2026, 3, 2, tzinfo=UTC)),
                              knobs), tls=ca)
    gateway = SalesforceGateway(SalesforceClientSettings(
        login_url=served.url, auth="client_credentials", client_id=knobs.client_id,
        client_secret=knobs.client_secret, ca_bundle=ca.ca_file, bulk_poll_seconds=0, timeout=5),
        sleep=lambda s: None)
    return gateway, served


@pytest.fixture(params=["memory", "salesforce"])
def crm(request, tmp_path_factory, monkeypatch):
    if request.param == "memory":
        yield _memory()
        return
    gateway, served = _salesforce(tmp_path_factory, monkeypatch)
    yield gateway
    served.shutdown()


def test_email_look_up_is_case_insensitive_and_skips_converted_leads(crm):
    found = crm.find_by_emails(["ada@EXAMPLE.com", "Grace@example.COM", "nobody@example.net"])
    assert sorted((r.object, r.id) for r in found) == [("Contact", "0035e0000000001AAA"),
                                                         ("Lead", "00Q5e0000000001AAA")]
    lead = next(r for r in found if r.object == "Lead")
    assert lead.fields["HubSpot_Id__c"] == "1001" and lead.fields["Email"] == "Ada@Example.com"


def test_an_upsert_creates_once_and_updates_after(crm):
    row = {"HubSpot_Id__c": "3001", "LastName": "Turing", "Company": "Bletchley", "Email": "alan@b.example"}
    (first,) = crm.upsert("Lead", "HubSpot_Id__c", [row])
    (second,) = crm.upsert("Lead", "HubSpot_Id__c", [{**row, "Lead_Score__c": 40}])
    assert first.ok and first.created and first.key == "3001"
    assert second.ok and not second.created and second.id == first.id
    (found,) = crm.find_by_emails(["alan@b.example"])
    assert found.id == first.id and found.fields["Lead_Score__c"] == 40


def test_updates_go_by_id_and_a_missing_record_is_refused_for_good(crm):
    ok, missing = crm.update("Lead", [{"Id": "00Q5e0000000002AAA", "Lead_Score__c": 12},
                                      {"Id": "00Q5e0000000099AAA", "Lead_Score__c": 1}])
    assert ok.ok and ok.key == "00Q5e0000000002AAA"
    assert not missing.ok and not missing.retriable and missing.error_code
    (found,) = crm.find_by_emails(["bo@example.org"])
    assert found.fields["Lead_Score__c"] == 12


def test_upserts_and_updates_of_several_objects_go_together_with_results_per_batch(crm):
    from syncd.ports import RecordBatch

    leads = [{"HubSpot_Id__c": str(4000 + i), "LastName": f"N{i}", "Company": "Co", "Email": f"n{i}@co.example"}
             for i in range(230)]
    answered = crm.write_records([
        RecordBatch("Lead", "upsert", "HubSpot_Id__c", leads),
        RecordBatch("Lead", "update", "Id", [{"Id": "00Q5e0000000002AAA", "Lead_Score__c": 33},
                                             {"Id": "00Q5e0000000099AAA", "Lead_Score__c": 1}])])
    assert [len(results) for results in answered] == [230, 2]
    assert [r.key for r in answered[0]] == [str(4000 + i) for i in range(230)] and all(r.ok and r.created
                                                                                       for r in answered[0])
    ok, missing = answered[1]
    assert ok.ok and not missing.ok and not missing.retriable
    assert {r.id for r in crm.find_by_emails(["n229@co.example"])} == {answered[0][-1].id}
    (found,) = crm.find_by_emails(["bo@example.org"])
    assert found.fields["Lead_Score__c"] == 33


def test_a_field_the_object_lacks_is_refused_row_by_row(crm):
    good, bad = crm.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": "1002", "Lead_Score__c": 5},
                                                    {"HubSpot_Id__c": "1001", "No_Such__c": "x"}])
    assert good.ok and not bad.ok and bad.error_code == "INVALID_FIELD" and not bad.retriable


def test_opportunity_facts_per_account(crm):
    facts = crm.opportunity_facts(["0015e0000000001AAA", "0015e0000000009AAA"])
    assert facts == {"0015e0000000001AAA": {"open": False, "won": True, "churned": False}}


def test_describe_names_the_fields_and_usage_counts_calls(crm):
    before = crm.usage().total
    assert {"Email", "HubSpot_Id__c"} <= set(crm.describe("Lead").fields)
    crm.find_by_emails(["ada@example.com"])
    assert crm.usage().total > before


def test_a_task_is_created_once_per_key(crm):
    task = {"Syncd_Key__c": "followup:1001:1", "Subject": "Call Ada", "WhoId": "00Q5e0000000001AAA",
            "OwnerId": OWNER, "Status": "Not Started", "Priority": "High"}
    (first,) = crm.upsert_tasks([task])
    (again,) = crm.upsert_tasks([task])
    assert first.ok and first.created and again.ok and not again.created and again.id == first.id


def test_tasks_are_found_by_key_with_their_owner_and_status_and_missing_keys_are_left_out(crm):
    task = {"Syncd_Key__c": "syncd:1001:1", "Subject": "Call Ada", "WhoId": "00Q5e0000000001AAA",
            "OwnerId": OWNER, "Status": "Not Started", "Priority": "High"}
    (written,) = crm.upsert_tasks([task])
    crm.upsert_tasks([{**task, "Status": "Completed"}])
    found = crm.tasks_by_key(["syncd:1001:1", "syncd:1001:2", "syncd:o'brien:1"])
    assert list(found) == ["syncd:1001:1"]
    record = found["syncd:1001:1"]
    assert record.id == written.id and record.object == "Task"
    assert (record.fields["WhoId"], record.fields["OwnerId"], record.fields["Status"]) == \
        ("00Q5e0000000001AAA", OWNER, "Completed")
    assert crm.tasks_by_key([]) == {}


def test_the_change_feed_reads_everything_first_then_what_changed_deletions_included(crm):
    first = crm.people_changed({"Lead": None, "Contact": None})
    assert sorted(r.id for r in first["Lead"]) == [r["Id"] for r in LEADS]
    assert [r.id for r in first["Contact"]] == ["0035e0000000001AAA"]
    assert all(r.fields["SystemModstamp"] and r.fields["IsDeleted"] is False for r in first["Lead"])
    cursor = {o: max(as_instant(r.fields["SystemModstamp"]) for r in rows) for o, rows in first.items()}
    crm.update("Lead", [{"Id": "00Q5e0000000002AAA", "Lead_Score__c": 9}])
    calls = crm.usage().total
    later = crm.people_changed(cursor)
    assert crm.usage().total - calls == 1  # one composite call for both objects
    changed = [r for r in later["Lead"] if as_instant(r.fields["SystemModstamp"]) > cursor["Lead"]]
    assert [(r.id, r.fields["Lead_Score__c"]) for r in changed] == [("00Q5e0000000002AAA", 9)]
    assert all(as_instant(r.fields["SystemModstamp"]) >= cursor["Contact"] for r in later["Contact"])


def test_the_first_fill_gives_every_record_typed_as_the_feed_does(crm):
    crm.update("Lead", [{"Id": "00Q5e0000000002AAA", "Lead_Score__c": 9}])
    first = crm.people_changed({"Lead": None, "Contact": None})
    leads = {r.id: r.fields for r in first["Lead"]}
    assert leads["00Q5e0000000002AAA"]["Lead_Score__c"] == 9
    assert leads["00Q5e0000000003AAA"]["IsConverted"] is True
    assert leads["00Q5e0000000003AAA"]["ConvertedContactId"] == "0035e0000000001AAA"
    assert leads["00Q5e0000000001AAA"].get("IsConverted") in (False, None)
    assert leads["00Q5e0000000001AAA"].get("Lead_Score__c") is None
    assert leads["00Q5e0000000001AAA"]["Email"] == "Ada@Example.com"
    stamps = [as_instant(r.fields["SystemModstamp"]) for r in first["Lead"]]
    assert stamps == sorted(stamps) and first["Lead"][-1].id == "00Q5e0000000002AAA"  # oldest first
    cursor = {o: max(as_instant(r.fields["SystemModstamp"]) for r in rows) for o, rows in first.items()}
    calls = crm.usage().total
    crm.people_changed(cursor)
    assert crm.usage().total - calls == 1  # after the fill, the feed's one call


def test_the_gateway_fills_by_bulk_query_jobs_and_follows_by_the_feed(tmp_path_factory, monkeypatch):
    gateway, served = _salesforce(tmp_path_factory, monkeypatch)
    try:
        first = gateway.people_changed({"Lead": None, "Contact": None})
        calls = dict(gateway.usage().calls)
        assert calls["POST /services/data/vXX.X/jobs/query"] == 2, calls  # one job per object
        assert not any("composite" in name or "/query?" in name for name in calls), calls
        cursor = {o: max(as_instant(r.fields["SystemModstamp"]) for r in rows) for o, rows in first.items()}
        before = gateway.usage().total
        gateway.people_changed(cursor)
        assert gateway.usage().total - before == 1
    finally:
        served.shutdown()


def _small_chunks(crm) -> None:
    if isinstance(crm, MemoryCrm):
        crm.page_size = 2
    else:  # pages of 2 rows from the query job, handed on 1 at a time
        from dataclasses import replace

        crm.settings = replace(crm.settings, bulk_query_page_size=2, bulk_query_chunk_size=1)


def test_the_first_fill_comes_in_chunks_holding_every_record_once(crm):
    _small_chunks(crm)
    whole = crm.people_changed({"Lead": None, "Contact": None})
    chunks = list(crm.people_pages({"Lead": None, "Contact": None}))
    assert all(len(records) <= 2 for _, records in chunks)
    assert sum(1 for name, records in chunks if name == "Lead" and records) >= 2  # 3 Leads: more than one chunk
    for object_name in ("Lead", "Contact"):
        got = [r for name, records in chunks if name == object_name for r in records]
        assert len(got) == len(whole[object_name]) == len({r.id for r in got})
        assert {r.id: r.fields for r in got} == {r.id: r.fields for r in whole[object_name]}


def test_rows_at_the_cursor_are_left_out_while_the_caller_holds_them_all(crm):
    first = crm.people_changed({"Lead": None, "Contact": None})
    cursor = {o: max(as_instant(r.fields["SystemModstamp"]) for r in rows) for o, rows in first.items()}
    held = {o: sum(as_instant(r.fields["SystemModstamp"]) == cursor[o] for r in rows) for o, rows in first.items()}
    calls = crm.usage().total
    quiet = crm.people_changed(cursor, held)
    assert crm.usage().total - calls == 1 and quiet == {"Lead": [], "Contact": []}  # one call, nothing again
    stale = crm.people_changed(cursor, {**held, "Lead": held["Lead"] - 1})  # one more row stamped then
    assert crm.usage().total - calls == 1 + 2  # the feed's call and a read of the rows at the cursor
    assert sorted(r.id for r in stale["Lead"]) == sorted(r.id for r in first["Lead"]
                                                        if as_instant(r.fields["SystemModstamp"]) == cursor["Lead"])
    assert stale["Contact"] == []
