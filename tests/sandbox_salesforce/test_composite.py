"""The Composite resource through simple-salesforce: subrequests referring to earlier results,
all-or-none rollback, halted dependants, one API call for the lot."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

V = "/services/data/v59.0"


def _composite(sf, requests: list[dict], all_or_none: bool = False) -> list[dict]:
    body = {"allOrNone": all_or_none, "compositeRequest": requests}
    return sf.restful("composite", method="POST", json=body)["compositeResponse"]


def _lead_then_task(key: str = "k1", status: str = "Not Started") -> list[dict]:
    return [
        {"method": "POST", "url": f"{V}/sobjects/Lead", "referenceId": "lead",
         "body": {"LastName": "Composite", "Company": "C"}},
        {"method": "GET", "url": f"{V}/query?q=SELECT+Id,OwnerId+FROM+Lead+WHERE+Id='@{{lead.id}}'",
         "referenceId": "found"},
        {"method": "PATCH", "url": f"{V}/sobjects/Task/Syncd_Key__c/{key}", "referenceId": "task",
         "body": {"WhoId": "@{found.records[0].Id}", "OwnerId": "@{found.records[0].OwnerId}",
                  "Subject": "Call", "Status": status}},
    ]


def test_subrequests_use_earlier_results_and_count_as_one_call(sf, org):
    state = org[0]
    used = state.api_calls_today
    out = _composite(sf, _lead_then_task())
    assert [r["httpStatusCode"] for r in out] == [201, 200, 201]
    assert state.api_calls_today == used + 1
    lead_id = out[0]["body"]["id"]
    assert out[0]["httpHeaders"]["Location"].endswith(f"/sobjects/Lead/{lead_id}")
    task = state.get("Task", out[2]["body"]["id"])
    assert task["WhoId"] == lead_id and task["Syncd_Key__c"] == "k1"


def test_all_or_none_rolls_every_write_back(sf, org):
    state = org[0]
    leads = len(state.records("Lead"))
    out = _composite(sf, _lead_then_task(status="Bogus"), all_or_none=True)
    assert [r["httpStatusCode"] for r in out] == [400, 400, 400]
    assert out[2]["body"][0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert [out[0]["body"][0]["errorCode"], out[1]["body"][0]["errorCode"]] == [
        "PROCESSING_HALTED", "PROCESSING_HALTED"]
    assert len(state.records("Lead")) == leads and state.records("Task") == []


def test_without_all_or_none_only_dependants_of_a_failure_halt(sf, org):
    out = _composite(sf, [
        {"method": "POST", "url": f"{V}/sobjects/Lead", "referenceId": "bad", "body": {"Company": "C"}},
        {"method": "PATCH", "url": f"{V}/sobjects/Lead/@{{bad.id}}", "referenceId": "dep",
         "body": {"Title": "x"}},
        {"method": "POST", "url": f"{V}/sobjects/Lead", "referenceId": "ok",
         "body": {"LastName": "Fine", "Company": "C"}},
    ])
    assert [r["httpStatusCode"] for r in out] == [400, 400, 201]
    assert out[0]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert out[1]["body"][0]["errorCode"] == "PROCESSING_HALTED"


@pytest.mark.parametrize(("body", "code"), [
    ({"compositeRequest": []}, "JSON_PARSER_ERROR"),
    ({"compositeRequest": [{"method": "GET", "url": f"{V}/limits", "referenceId": "a"}] * 2},
     "INVALID_API_INPUT"),
    ({"compositeRequest": [{"method": "POST", "url": f"{V}/jobs/query", "referenceId": "a"}]},
     "INVALID_API_INPUT"),
    ({"compositeRequest": [{"method": "GET", "url": f"{V}/limits", "referenceId": f"r{i}"}
                           for i in range(26)]}, "INVALID_API_INPUT"),
])
def test_a_malformed_composite_request_is_refused_whole(sf, body, code):
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful("composite", method="POST", json=body)
    assert caught.value.content[0]["errorCode"] == code


def test_at_most_five_collections_or_queries_ride_in_one_composite(sf, org):
    def collection(i: int) -> dict:
        return {"method": "PATCH", "url": f"{V}/composite/sobjects/Lead/HubSpot_Id__c", "referenceId": f"c{i}",
                "body": {"allOrNone": False, "records": [
                    {"attributes": {"type": "Lead"}, "HubSpot_Id__c": f"cmp{i}", "LastName": "C", "Company": "C"}]}}

    out = _composite(sf, [collection(i) for i in range(5)])
    assert [r["httpStatusCode"] for r in out] == [200] * 5 and all(r["body"][0]["success"] for r in out)
    query = {"method": "GET", "url": f"{V}/query?q=SELECT+Id+FROM+Lead+LIMIT+1", "referenceId": "q"}
    with pytest.raises(SalesforceMalformedRequest, match="at most 5"):
        _composite(sf, [collection(i) for i in range(5, 10)] + [query])
