"""Writes over mocked HTTP: 200-row Collections, order of results, lock-row retries of
only the failed rows, rows without a key answered locally."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from structlog.testing import capture_logs

from connectors.salesforce import SalesforceGateway
from syncd.errors import FatalApiError, RetriableError
from syncd.models import WriteResult

from .conftest import DATA, body_of, calls_to, settings, sf_error

UPSERT_URL = f"{DATA}/composite/sobjects/Lead/HubSpot_Id__c"
LOCKED = {"success": False, "errors": [{"statusCode": "UNABLE_TO_LOCK_ROW",
                                        "message": "unable to obtain exclusive access",
                                        "fields": []}]}


def _ok(record: dict) -> dict:
    return {"id": "00Q5e" + record["HubSpot_Id__c"].rjust(13, "0"), "success": True,
            "created": False, "errors": []}


def _rows(n: int) -> list[dict]:
    return [{"HubSpot_Id__c": str(1000 + i), "Lead_Score__c": i} for i in range(n)]


def _answer(decide):
    """A responses callback answering each record of a Collections call with decide(record)."""
    def callback(request):
        records = json.loads(request.body)["records"]
        return 200, {}, json.dumps([decide(r) for r in records])
    return callback


def _composite(decide):
    """A responses callback answering a Composite call of Collections subrequests."""
    def callback(request):
        subs = json.loads(request.body)["compositeRequest"]
        return 200, {}, json.dumps({"compositeResponse": [
            {"body": [decide(r) for r in sub["body"]["records"]], "httpHeaders": {}, "httpStatusCode": 200,
             "referenceId": sub["referenceId"]} for sub in subs]})
    return callback


def test_upsert_sends_collections_of_200_five_to_a_composite_call_and_answers_in_order(mocked, gateway):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(_ok))
    mocked.add_callback("POST", f"{DATA}/composite", callback=_composite(_ok))
    results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(1250))
    composite = calls_to(mocked, "composite$")
    subs = [sub for c in composite for sub in body_of(c)["compositeRequest"]]
    assert [len(body_of(c)["compositeRequest"]) for c in composite] == [5, 2]
    assert [len(sub["body"]["records"]) for sub in subs] == [200] * 6 + [50]  # not a call per 200
    assert all(sub["method"] == "PATCH" and sub["url"].endswith("/composite/sobjects/Lead/HubSpot_Id__c")
               and sub["body"]["allOrNone"] is False for sub in subs)
    assert len(calls_to(mocked, "composite/sobjects")) == 0
    assert subs[0]["body"]["records"][0]["attributes"] == {"type": "Lead"}
    assert [r.key for r in results] == [str(1000 + i) for i in range(1250)]
    assert all(r.ok for r in results)


def test_a_single_collection_goes_alone(mocked, gateway):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(_ok))
    assert all(r.ok for r in gateway.upsert("Lead", "HubSpot_Id__c", _rows(150)))
    assert [len(body_of(c)["records"]) for c in calls_to(mocked, "composite/sobjects")] == [150]


def test_a_collection_refused_whole_inside_a_composite_raises_as_if_sent_alone(mocked, gateway):
    def callback(request):
        subs = json.loads(request.body)["compositeRequest"]
        return 200, {}, json.dumps({"compositeResponse": [
            {"body": [{"errorCode": "INVALID_FIELD", "message": "No such column 'Bogus__c'"}],
             "httpHeaders": {}, "httpStatusCode": 400, "referenceId": sub["referenceId"]} for sub in subs]})

    mocked.add_callback("POST", f"{DATA}/composite", callback=callback)
    with pytest.raises(FatalApiError, match="INVALID_FIELD"):
        gateway.upsert("Lead", "HubSpot_Id__c", _rows(400))


def test_update_patches_collections_keyed_by_id(mocked, gateway):
    mocked.add_callback("PATCH", f"{DATA}/composite/sobjects", callback=_answer(
        lambda r: {"id": r["Id"], "success": r["Id"] != "003000000000002AAA", "errors": [
            {"statusCode": "ENTITY_IS_DELETED", "message": "entity is deleted"}]}))
    results = gateway.update("Contact", [{"Id": "003000000000001AAA", "Title": "CTO"},
                                         {"Id": "003000000000002AAA", "Title": "CEO"}])
    assert [(r.key, r.ok, r.error_code) for r in results] == [
        ("003000000000001AAA", True, None), ("003000000000002AAA", False, "ENTITY_IS_DELETED")]


def test_locked_rows_and_only_they_are_sent_again_after_a_jittered_wait(mocked, gateway, sleeps):
    attempts: dict[str, int] = {}

    def decide(record):
        key = record["HubSpot_Id__c"]
        attempts[key] = attempts.get(key, 0) + 1
        locked = int(key) % 3 == 0 and attempts[key] < 3  # locked twice, then fine
        return LOCKED if locked else _ok(record)

    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(decide))
    with capture_logs() as logs:
        results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(10))
    sent = [[r["HubSpot_Id__c"] for r in body_of(c)["records"]]
            for c in calls_to(mocked, "composite/sobjects")]
    assert sent == [[str(1000 + i) for i in range(10)], ["1002", "1005", "1008"],
                    ["1002", "1005", "1008"]]
    assert all(r.ok for r in results) and [r.key for r in results][:3] == ["1000", "1001", "1002"]
    assert len(sleeps) == 2 and 2 <= sleeps[0] <= 4 and 4 <= sleeps[1] <= 6
    retries = [e for e in logs if e["event"] == "salesforce.retry"]
    assert [(e["retrying"], e["rows"], e["codes"]) for e in retries] == [
        ("rows", 3, {"UNABLE_TO_LOCK_ROW": 3})] * 2
    assert all(e["code"] == "UNABLE_TO_LOCK_ROW" and "exclusive access" in e["reason"] for e in retries)


def test_rows_locked_every_time_keep_their_code_after_the_last_attempt(mocked, gateway, sleeps):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(
        lambda r: LOCKED if r["HubSpot_Id__c"] == "1001" else _ok(r)))
    results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(3))
    assert len(calls_to(mocked, "composite/sobjects")) == 4  # row_retry_attempts
    assert len(sleeps) == 3 and max(sleeps) <= 32 + 2
    assert [(r.ok, r.error_code) for r in results] == [
        (True, None), (False, "UNABLE_TO_LOCK_ROW"), (True, None)]


def test_rejected_rows_are_not_retried(mocked, gateway, sleeps):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(lambda r: {
        "success": False, "errors": [{"statusCode": "DUPLICATES_DETECTED",
                                      "message": "Use one of these records?"}]}))
    results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(2))
    assert len(calls_to(mocked, "composite/sobjects")) == 1 and sleeps == []
    assert {r.error_code for r in results} == {"DUPLICATES_DETECTED"}


def test_rows_without_their_key_are_answered_without_being_sent(mocked, gateway):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(_ok))
    rows = [{"HubSpot_Id__c": "1"}, {"Lead_Score__c": 5}, {"HubSpot_Id__c": ""}]
    results = gateway.upsert("Lead", "HubSpot_Id__c", rows)
    assert [(r.ok, r.error_code) for r in results] == [
        (True, None), (False, "MISSING_KEY"), (False, "MISSING_KEY")]
    assert "row 1 has no HubSpot_Id__c" in results[1].message
    assert len(body_of(calls_to(mocked, "composite/sobjects")[0])["records"]) == 1


def test_upsert_tasks_key_on_the_syncd_key(mocked, gateway):
    mocked.add_callback("PATCH", f"{DATA}/composite/sobjects/Task/Syncd_Key__c",
                        callback=_answer(lambda r: {"id": "00T000000000001AAA",
                                                    "success": True, "created": True}))
    results = gateway.upsert_tasks([{"Syncd_Key__c": "sla:1001:2026-03-02", "Subject": "Call"}])
    assert results[0].key == "sla:1001:2026-03-02" and results[0].created


def test_a_whole_batch_refused_is_an_error_not_silent_row_failures(mocked, gateway):
    mocked.patch(UPSERT_URL, **sf_error("INVALID_FIELD", "No such column 'Bogus__c'"))
    with pytest.raises(FatalApiError, match="INVALID_FIELD"):
        gateway.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": "1", "Bogus__c": 1}])


def test_an_answer_of_the_wrong_length_is_fatal(mocked, gateway):
    mocked.patch(UPSERT_URL, json=[{"success": True}, {"success": True}])
    with pytest.raises(FatalApiError, match="2 results for 1 records"):
        gateway.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": "1"}])


def test_datetimes_are_sent_as_iso_text(mocked, gateway):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(_ok))
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    gateway.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": "1", "Last_Engagement_Date__c": at}])
    record = body_of(calls_to(mocked, "composite/sobjects")[0])["records"][0]
    assert record["Last_Engagement_Date__c"] == "2026-03-02T09:00:00+00:00"


def test_text_of_any_script_is_sent_as_utf8_json_alone_and_in_a_composite_call(mocked, gateway):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(_ok))
    mocked.add_callback("POST", f"{DATA}/composite", callback=_composite(_ok))
    names = ["Zoë", "Łukasz", "渡辺", "Ωmega \"quoted\"\n", "emoji 🙂", "\u00a0"]
    rows = [{"HubSpot_Id__c": str(i), "LastName": names[i % len(names)]} for i in range(250)]
    gateway.upsert("Lead", "HubSpot_Id__c", rows[:150])
    gateway.upsert("Lead", "HubSpot_Id__c", rows)
    alone, composite = calls_to(mocked, "composite/sobjects")[0], calls_to(mocked, "composite$")[0]
    sent = [r["LastName"] for r in body_of(alone)["records"]]
    sent += [r["LastName"] for sub in body_of(composite)["compositeRequest"] for r in sub["body"]["records"]]
    assert sent == [r["LastName"] for r in rows[:150] + rows]
    for call in (alone, composite):
        assert call.request.headers["Content-Type"] == "application/json"
        assert isinstance(call.request.body, bytes) and "渡辺" in call.request.body.decode("utf-8")


def test_large_batches_go_through_bulk(monkeypatch, mocked, sleeps):
    gateway = SalesforceGateway(settings(bulk_threshold=3), sleep=sleeps)
    seen = {}

    def fake_bulk(sf, object_name, operation, key_field, rows, *, poll_seconds):
        seen.update(object=object_name, operation=operation, key=key_field, rows=len(rows))
        return [WriteResult(key=r[key_field], ok=True) for r in rows]

    monkeypatch.setattr("connectors.salesforce.writes.bulk_write", fake_bulk)
    assert len(gateway.upsert("Lead", "HubSpot_Id__c", _rows(3))) == 3
    assert seen == {"object": "Lead", "operation": "upsert", "key": "HubSpot_Id__c", "rows": 3}
    assert calls_to(mocked, "composite") == []


def test_a_chunk_failing_after_others_were_written_reports_both(mocked, gateway, sleeps):
    state = {"calls": 0}

    def callback(request):
        state["calls"] += 1
        return 503, {}, json.dumps([{"errorCode": "SERVER_UNAVAILABLE", "message": "down"}])

    mocked.add_callback("PATCH", UPSERT_URL, callback=callback)
    mocked.add_callback("POST", f"{DATA}/composite", callback=_composite(_ok))
    results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(1050))  # 1,000 in a Composite, 50 alone
    assert [r.ok for r in results] == [True] * 1000 + [False] * 50
    assert {r.error_code for r in results[1000:]} == {"SERVER_UNAVAILABLE"}
    assert "not sent" in results[-1].message
    # the last Collection with its call retries, then the 50 rows once more with call retries
    assert state["calls"] == 3 + 3


def test_a_write_failing_from_the_first_call_raises(mocked, gateway, sleeps):
    mocked.patch(UPSERT_URL, **sf_error("SERVER_UNAVAILABLE", "down", status=503))
    with pytest.raises(RetriableError):
        gateway.upsert("Lead", "HubSpot_Id__c", _rows(2))
    assert len(calls_to(mocked, "composite/sobjects")) == 3


def test_only_rows_worth_sending_again_are_marked_retriable(mocked, gateway, sleeps):
    mocked.add_callback("PATCH", UPSERT_URL, callback=_answer(lambda r: LOCKED if r["HubSpot_Id__c"] == "1001"
                                                              else {"success": False, "errors": [
                                                                  {"statusCode": "STRING_TOO_LONG",
                                                                   "message": "too long"}]}
                                                              if r["HubSpot_Id__c"] == "1002" else _ok(r)))
    results = gateway.upsert("Lead", "HubSpot_Id__c", _rows(3))
    assert [(r.ok, r.retriable) for r in results] == [(True, False), (False, True), (False, False)]


def test_batches_of_several_objects_share_one_composite_call(mocked, gateway):
    from syncd.ports import RecordBatch

    def decide(record):
        key = record.get("HubSpot_Id__c") or record["Id"]
        return {"id": key, "success": True, "created": "Id" not in record, "errors": []}

    mocked.add_callback("POST", f"{DATA}/composite", callback=_composite(decide))
    answered = gateway.write_records([
        RecordBatch("Lead", "upsert", "HubSpot_Id__c", _rows(300)),
        RecordBatch("Contact", "update", "Id", [{"Id": f"003{i:015d}", "Title": "CTO"} for i in range(250)])])
    (call,) = calls_to(mocked, "composite$")
    subs = body_of(call)["compositeRequest"]
    assert [(s["url"].split("/data/")[1].split("/", 1)[1], len(s["body"]["records"])) for s in subs] == [
        ("composite/sobjects/Lead/HubSpot_Id__c", 200), ("composite/sobjects/Lead/HubSpot_Id__c", 100),
        ("composite/sobjects", 200), ("composite/sobjects", 50)]
    assert subs[2]["body"]["records"][0]["attributes"] == {"type": "Contact"}
    assert [len(a) for a in answered] == [300, 250]
    assert answered[1][-1].key == f"003{249:015d}" and all(r.ok for a in answered for r in a)
