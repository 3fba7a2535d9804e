"""The Salesforce emulator fuzzed: bodies of every write resource, Bulk API 2.0 jobs and
SOQL, sent straight to the WSGI app. Never a 5xx, always Salesforce's error array (see
``fuzzing``); one regression test per request the fuzz found answered with a 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client

from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app

from ..sandbox_core.fuzz import fuzz_settings
from .conftest import Clock, small_seed
from .fuzzing import check_answer, csv_text, json_values, names, records, sobject, soql

EXAMPLES = 60  # per target; SYNCD_FUZZ_EXAMPLES overrides
V = "/services/data/v59.0"


class Org:
    """A fresh org behind a WSGI test client, with a valid session."""

    def __init__(self) -> None:
        self.state = SalesforceState.from_seed(small_seed(5), clock=Clock())
        self.client = Client(create_app(self.state, SalesforceSettings()))
        self.headers = {"Authorization": f"Bearer {self.state.issue_session()}"}
        self.sent = 0

    def call(self, method: str, path: str, body: object = None, *, raw: bytes | str | None = None,
             content_type: str = "application/json", headers: dict | None = None):
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        response = self.client.open(path, method=method, data=data, content_type=content_type,
                                    headers={**self.headers, **(headers or {})})
        self.sent += 1
        check_answer(response.status_code, response.get_data(),
                     f"{method} {path} {str(data)[:300]}")
        return response


def fuzz(strategy, examples: int = EXAMPLES):
    """Decorator: run the test body over ``strategy`` with the suite's fuzz settings."""
    def wrap(body):
        def test():
            org = Org()

            @fuzz_settings(examples)
            @given(strategy)
            def run(value):
                body(org, value)
            run()
            assert org.sent >= 1
        test.__name__ = body.__name__
        test.__doc__ = body.__doc__
        return test
    return wrap


@fuzz(records())
def test_collections_create(org, body):
    org.call("POST", f"{V}/composite/sobjects", body)


@fuzz(records())
def test_collections_update(org, body):
    org.call("PATCH", f"{V}/composite/sobjects", body)


@fuzz(st.tuples(st.sampled_from([("Lead", "HubSpot_Id__c"), ("Task", "Syncd_Key__c"),
                                 ("Lead", "Id"), ("Lead", "Email"), ("Nope", "X")])
                | st.tuples(names, st.text(max_size=10)), records(names)))
def test_collections_upsert(org, args):
    (obj, field), body = args
    org.call("PATCH", f"{V}/composite/sobjects/{quote(obj, safe='')}/{quote(field, safe='')}"
             if obj and field else f"{V}/composite/sobjects/Lead/HubSpot_Id__c", body)


@fuzz(st.tuples(names, st.text(max_size=40), st.text(max_size=40), st.booleans()))
def test_collections_retrieve_and_delete(org, args):
    obj, ids, fields, delete = args
    if delete:
        org.call("DELETE", f"{V}/composite/sobjects?ids={quote(ids)}&allOrNone={quote(fields)}")
    else:
        org.call("GET", f"{V}/composite/sobjects/{quote(obj or 'Lead', safe='')}"
                        f"?ids={quote(ids)}&fields={quote(fields)}")


@fuzz(st.tuples(names, sobject()))
def test_rest_create(org, args):
    obj, body = args
    org.call("POST", f"{V}/sobjects/{quote(obj or 'Lead', safe='')}", body)


@fuzz(st.tuples(names, st.sampled_from(["00Q5e000000001AAAA", "00Q5e0000000001", "x"])
                | st.text(min_size=1, max_size=20), sobject()))
def test_rest_update(org, args):
    obj, ident, body = args
    org.call("PATCH", f"{V}/sobjects/{quote(obj or 'Lead', safe='')}/{quote(ident, safe='')}",
             body)


@fuzz(st.tuples(st.sampled_from(["Lead", "Task", "Contact"]) | names,
                st.sampled_from(["HubSpot_Id__c", "Syncd_Key__c", "Id"]) | st.text(max_size=10),
                st.text(min_size=1, max_size=12), sobject()))
def test_rest_upsert(org, args):
    obj, field, value, body = args
    org.call("PATCH", f"{V}/sobjects/{quote(obj or 'Lead', safe='')}/"
                      f"{quote(field or 'Id', safe='')}/{quote(value, safe='')}", body)


@fuzz(st.tuples(st.sampled_from(["POST /composite/sobjects", "PATCH /composite/sobjects",
                                 "PATCH /composite/sobjects/Lead/HubSpot_Id__c",
                                 "POST /sobjects/Lead", "PATCH /sobjects/Lead/00Q5e000000001AAAA",
                                 "PATCH /sobjects/Task/Syncd_Key__c/k1", "POST /jobs/ingest",
                                 "POST /jobs/query", "PATCH /jobs/ingest/7505e0000000001AAA",
                                 "POST /composite"]),
                st.binary(max_size=40) | st.text(max_size=40).map(str.encode)))
def test_unparseable_bodies(org, args):
    route, raw = args
    method, path = route.split(" ", 1)
    org.call(method, f"{V}{path}", raw=raw)


_sub_urls = st.sampled_from([
    f"{V}/sobjects/Lead", f"{V}/sobjects/Task/Syncd_Key__c/k1", f"{V}/sobjects/Lead/@{{r0.id}}",
    f"{V}/query?q=SELECT+Id+FROM+Lead+LIMIT+1", f"{V}/sobjects/Lead/@{{r1.records[0].Id}}",
    f"{V}/composite/sobjects", f"{V}/composite", f"{V}/jobs/ingest", f"{V}/limits",
    "/services/data", f"{V}/sobjects/@{{r0.x[9]}}/x", f"{V}/sobjects/Lead/@{{r9.id}}"])
_subrequest = st.fixed_dictionaries(
    {"method": st.sampled_from(["GET", "POST", "PATCH", "DELETE"]), "url": _sub_urls},
    optional={"body": sobject(st.just("Lead")) | st.just({"WhoId": "@{r0.id}", "Subject": "x",
                                                          "LastName": "@{r1.totalSize}"})})
_numbered = st.lists(_subrequest, min_size=1, max_size=5).map(
    lambda items: [{**item, "referenceId": f"r{i}"} for i, item in enumerate(items)])
_composite = (st.fixed_dictionaries({"compositeRequest": _numbered},
                                    optional={"allOrNone": st.booleans()})
              | st.fixed_dictionaries({"compositeRequest": st.lists(json_values, max_size=3)
                                       | json_values}, optional={"allOrNone": json_values})
              | json_values)


@fuzz(_composite)
def test_composite_requests(org, body):
    org.call("POST", f"{V}/composite", body)


_job = st.fixed_dictionaries(
    {"object": st.sampled_from(["Lead", "Task", "Contact"]) | json_values,
     "operation": st.sampled_from(["insert", "update", "upsert", "delete", "hardDelete"]) | json_values},
    optional={"externalIdFieldName": st.sampled_from(["HubSpot_Id__c", "Syncd_Key__c", "Id"]) | json_values,
              "contentType": st.just("CSV") | json_values,
              "columnDelimiter": st.sampled_from(["COMMA", "TAB", "PIPE"]) | json_values,
              "lineEnding": st.sampled_from(["LF", "CRLF"]) | json_values}) | json_values


@fuzz(st.tuples(_job, csv_text(), st.sampled_from(["UploadComplete", "Aborted", "Open", "x"])
                | json_values), examples=40)
def test_bulk_ingest_jobs(org, args):
    job, csv, state = args
    created = org.call("POST", f"{V}/jobs/ingest", job)
    if created.status_code != 200:
        return
    path = f"{V}/jobs/ingest/{created.get_json()['id']}"
    org.call("PUT", f"{path}/batches", raw=csv.encode(), content_type="text/csv")
    org.call("PATCH", path, {"state": state})
    org.call("GET", path)
    for kind in ("successfulResults", "failedResults", "unprocessedrecords"):
        org.call("GET", f"{path}/{kind}")


_query_job = st.fixed_dictionaries(
    {"operation": st.sampled_from(["query", "queryAll"]) | json_values, "query": soql() | json_values},
    optional={"contentType": st.just("CSV") | json_values,
              "columnDelimiter": st.sampled_from(["COMMA", "TAB", "SEMICOLON"]) | json_values,
              "lineEnding": st.sampled_from(["LF", "CRLF"]) | json_values}) | json_values


@fuzz(st.tuples(_query_job, st.text(max_size=8), st.text(max_size=6)), examples=60)
def test_bulk_query_jobs(org, args):
    job, locator, max_records = args
    created = org.call("POST", f"{V}/jobs/query", job)
    if created.status_code != 200:
        return
    path = f"{V}/jobs/query/{created.get_json()['id']}"
    org.call("GET", path)
    org.call("GET", f"{path}/results?locator={quote(locator)}&maxRecords={quote(max_records)}")
    org.call("GET", f"{path}/results?maxRecords=1")
    org.call("PATCH", path, {"state": "Aborted"})


_segments = st.lists(st.sampled_from(["sobjects", "Lead", "Task", "describe", "query", "queryAll",
                                       "jobs", "ingest", "query", "results", "composite",
                                       "00Q5e000000001AAAA", "HubSpot_Id__c", "limits", "x-1",
                                       "01g5e0000000001AAA-2000", "..", "%20"])
                      | st.text(max_size=8), max_size=5)


@fuzz(st.tuples(st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"]), _segments,
                st.text(max_size=20)))
def test_any_path_and_method(org, args):
    method, segments, query = args
    path = "/".join(quote(s, safe="") for s in segments)
    org.call(method, f"{V}/{path}?{quote(query, safe='=&')}")


@fuzz(st.tuples(soql(), st.booleans()), examples=150)
def test_soql(org, args):
    query, include_deleted = args
    endpoint = "queryAll" if include_deleted else "query"
    org.call("GET", f"{V}/{endpoint}?q={quote(query)}")


def test_the_fuzz_reaches_past_validation():
    """The generated SOQL is not all rejected: some of it runs (a fuzz that only ever meets
    the parser's first check would prove little)."""
    org, statuses = Org(), {}

    @fuzz_settings(80)
    @given(soql())
    def run(query):
        response = org.call("GET", f"{V}/query?q={quote(query)}")
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    run()
    assert statuses.get(200, 0) >= 3 and statuses.get(400, 0) >= 3, statuses


# -- requests the fuzz found answered with a 500, through simple-salesforce ------------------

@pytest.mark.parametrize("body", [{"object": [None], "operation": "insert"},
                                  {"object": "Lead", "operation": {"op": "insert"}},
                                  {"object": "Lead", "operation": "upsert",
                                   "externalIdFieldName": ["HubSpot_Id__c"]},
                                  {"object": "Lead", "operation": "insert", "lineEnding": 3}])
def test_an_ingest_job_with_a_non_text_setting_is_invalidjob(sf, body):
    from simple_salesforce.exceptions import SalesforceMalformedRequest

    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.restful("jobs/ingest", method="POST", json=body)
    assert caught.value.content[0]["errorCode"] == "INVALIDJOB"


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("attributes", [[None], True, 1, {"type": ["Lead"]}])
def test_a_collection_record_whose_attributes_are_not_an_object_fails_alone(sf, method, attributes):
    good = {"attributes": {"type": "Lead"}, "LastName": "Ok", "Company": "C"}
    if method == "PATCH":
        good = {"attributes": {"type": "Lead"}, "Id": sf.query("SELECT Id FROM Lead LIMIT 1")
                ["records"][0]["Id"], "Title": "Ok"}
    results = sf.restful("composite/sobjects", method=method,
                         json={"records": [good, {"attributes": attributes, "LastName": "X"}]})
    assert [r["success"] for r in results] == [True, False]
    assert results[1]["errors"][0]["statusCode"] == "INVALID_TYPE"


def test_a_collection_update_whose_id_is_not_text_is_malformed_id(sf):
    results = sf.restful("composite/sobjects", method="PATCH", json={"records": [
        {"attributes": {"type": "Lead"}, "Id": ["00Q5e000000001AAAA"], "Title": "x"}]})
    assert results[0]["success"] is False
    assert results[0]["errors"][0]["statusCode"] == "MALFORMED_ID"
