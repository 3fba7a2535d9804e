"""The HubSpot emulator fuzzed by HubSpot's published contract (see ``fuzzing``), and one
regression test per request the fuzz found answered with a 500."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client

from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState, create_app

from ..sandbox_core.fuzz import fuzz_settings
from .conftest import SPECS, TOKEN, StepClock, seed
from .fuzzing import emulated_operations, error_shape_problem, fuzz_operation

EXAMPLES = 10  # per operation and mode; SYNCD_FUZZ_EXAMPLES overrides
AUTH = {"Authorization": f"Bearer {TOKEN}"}
OPERATIONS = emulated_operations(SPECS) if SPECS is not None else []


def _app():
    state = HubSpotState.from_seed(seed(12), clock=StepClock())
    return create_app(state, HubSpotSettings(rate_limit_per_10s=None, daily_limit=None,
                                             search_per_second=None))


def test_the_specs_are_found_and_cover_the_emulator():
    if SPECS is None:
        message = "HubSpot OpenAPI documents not found: set SYNCD_HUBSPOT_SPECS"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    documents = {doc for doc, _m, _p in OPERATIONS}
    assert {"contacts", "emails", "calls", "meetings", "notes", "tasks", "associations",
            "properties", "crmOwners", "events", "forms", "objects"} <= documents
    assert len(OPERATIONS) >= 50


@pytest.mark.parametrize(("document", "method", "path"), OPERATIONS,
                         ids=[f"{d}:{m} {p}" for d, m, p in OPERATIONS])
def test_no_request_gets_a_5xx_or_a_body_outside_the_contract(document, method, path):
    report = fuzz_operation(SPECS, document, method, path, _app(), AUTH, fuzz_settings(EXAMPLES))
    assert report.sent.get("positive", 0) >= 1, report


_SEGMENTS = st.lists(st.sampled_from(["crm", "v3", "v4", "objects", "contacts", "notes", "batch",
                                       "read", "search", "properties", "owners", "associations",
                                       "1001", "events", "email", "public", "v1", "merge", "%7B%7D"])
                     | st.text(max_size=6), max_size=6)


def test_any_path_and_method_gets_hubspots_answer():
    client, sent = Client(_app()), []

    @fuzz_settings(EXAMPLES * 20)
    @given(st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"]), _SEGMENTS,
           st.text(max_size=12), st.binary(max_size=30))
    def run(method, segments, query, body):
        path = "/" + "/".join(quote(s, safe="") for s in segments)
        response = client.open(f"{path}?{quote(query, safe='=&')}", method=method, data=body,
                               headers={**AUTH, "Content-Type": "application/json"})
        sent.append(response.status_code)
        assert response.status_code < 500, (method, path, response.get_data()[:200])
        assert error_shape_problem(response.status_code, response.get_data()) is None, (method, path)
    run()
    assert len(sent) >= 10


# -- requests the fuzz found answered with a 500 (now HubSpot's 400) ------------------------

def _post(portal, path: str, body: object):
    import requests

    return requests.post(f"{portal.served.url}{path}", json=body, headers=AUTH, timeout=10)


MALFORMED = [
    # batch read with a non-string in `properties` / `propertiesWithHistory`, or a non-list
    ("batch/read", {"inputs": [{"id": "1001"}], "properties": [7], "propertiesWithHistory": []}),
    ("batch/read", {"inputs": [{"id": "1001"}], "properties": True, "propertiesWithHistory": []}),
    ("batch/read", {"inputs": [{"id": "1001"}], "properties": [], "propertiesWithHistory": [{}]}),
    ("batch/read", {"inputs": [{"id": []}], "properties": [], "propertiesWithHistory": []}),
    ("batch/read", {"inputs": [{"id": "1"}], "properties": [], "propertiesWithHistory": [],
                    "idProperty": {"x": 1}}),
    # search with an object as a filter's operator, value or values, or as a sort direction
    ("search", {"filterGroups": [{"filters": [{"propertyName": "email", "operator": {}}]}]}),
    ("search", {"filterGroups": [{"filters": [{"propertyName": "email", "operator": ["EQ"]}]}]}),
    ("search", {"filterGroups": [{"filters": [{"propertyName": "hs_object_id", "operator": "EQ",
                                              "value": {"n": 1}}]}]}),
    ("search", {"filterGroups": [{"filters": [{"propertyName": "hs_object_id", "operator": "IN",
                                              "values": [[1]]}]}]}),
    ("search", {"sorts": [{"propertyName": "email", "direction": {}}]}),
]


@pytest.mark.parametrize("object_type", ["contacts", "notes", "tasks"])
@pytest.mark.parametrize(("endpoint", "body"), MALFORMED,
                         ids=[f"{e}-{i}" for i, (e, _b) in enumerate(MALFORMED)])
def test_a_malformed_body_is_a_400_in_hubspots_shape(portal, object_type, endpoint, body):
    response = _post(portal, f"/crm/v3/objects/{object_type}/{endpoint}", body)
    assert response.status_code == 400, response.text
    assert error_shape_problem(400, response.content) is None
    assert response.json()["category"] == "VALIDATION_ERROR"
