"""Every request and response of representative traffic, checked against HubSpot's OpenAPI
documents (``$SYNCD_HUBSPOT_SPECS`` or ../shared/specs/hubspot)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from syncd_sandbox.hubspot.contract import find_specs_dir, uncovered, validate

from .conftest import FORM_ID, T0, seed

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def specs_dir() -> Path:
    found = find_specs_dir(REPO)
    if found is None:
        reason = ("HubSpot OpenAPI specs not found: set SYNCD_HUBSPOT_SPECS or provide "
                  "../shared/specs/hubspot next to the repository")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def drive(portal) -> None:
    """Touch every emulated endpoint family through the real client, errors included."""
    state, client = portal.state, portal.client()
    state.record_engagement("notes", ["1001"], {"hs_note_body": "x"}, occurred_at=T0)
    state.record_event("1001", "e_visited_page", occurred_at=T0, properties={"hs_url": "u"})
    contacts = client.crm.contacts
    contacts.basic_api.get_page(limit=5, properties=["email", "phone"], properties_with_history=["email"],
                                associations=["notes"])
    contacts.basic_api.get_by_id("1001", properties=["email", "lifecyclestage"])
    contacts.search_api.do_search(public_object_search_request={
        "filterGroups": [{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE",
                                       "value": "0"}]}],
        "sorts": ["lastmodifieddate"],
        "limit": 3, "after": "0", "properties": ["email", "phone"]})
    contacts.batch_api.read(batch_read_input_simple_public_object_id={
        "inputs": [{"id": "1002"}, {"id": "424242"}], "properties": ["email"], "propertiesWithHistory": []})
    contacts.batch_api.upsert(batch_input_simple_public_object_batch_input_upsert={"inputs": [
        {"id": "up@x.io", "idProperty": "email", "properties": {"firstname": "Up"}},
        {"id": "bad@x.io", "idProperty": "email", "properties": {"lifecyclestage": "nope"}}]})
    contacts.batch_api.update(batch_input_simple_public_object_batch_input={"inputs": [
        {"id": "1003", "properties": {"lifecyclestage": "customer"}}]})
    contacts.batch_api.create(batch_input_simple_public_object_batch_input_for_create={"inputs": [
        {"properties": {"email": "c@x.io"}, "associations": []}]})
    contacts.basic_api.merge(public_merge_input={"primaryObjectId": "1004", "objectIdToMerge": "1005"})
    contacts.batch_api.archive(batch_input_simple_public_object_id={"inputs": [{"id": "1006"}]})
    client.crm.objects.notes.basic_api.get_page(limit=2, properties=["hs_note_body"])
    client.crm.objects.notes.batch_api.read(batch_read_input_simple_public_object_id={
        "inputs": [{"id": "501"}], "properties": ["hs_note_body"], "propertiesWithHistory": []})
    client.crm.properties.core_api.get_all("contacts")
    client.crm.properties.core_api.get_by_name("contacts", "lifecyclestage")
    client.crm.owners.owners_api.get_page(limit=2)
    client.crm.owners.owners_api.get_by_id(101)
    client.crm.associations.v4.basic_api.get_page("contacts", "1001", "notes")
    client.crm.associations.v4.batch_api.get_page("notes", "contacts",
        batch_input_public_fetch_associations_batch_request={"inputs": [{"id": "501"}, {"id": "9"}]})
    client.events.events_api.get_page(object_type="contact", object_id=1001,
                                      occurred_after=T0 - timedelta(days=1), limit=5)
    client.marketing.forms.forms_api.get_page()
    client.api_request({"method": "GET", "path": "/email/public/v1/events", "qs": {"limit": 5}})
    client.api_request({"method": "GET", "path": f"/form-integrations/v1/submissions/forms/{FORM_ID}"})
    for bad in (lambda: contacts.basic_api.get_by_id("777777"),
                lambda: portal.client("wrong").crm.contacts.basic_api.get_page()):
        with pytest.raises(Exception):
            bad()


def test_traffic_conforms_to_the_published_specs(make_portal, specs_dir):
    portal = make_portal(seed(10))
    drive(portal)
    exchanges = portal.recorder.exchanges
    assert len(exchanges) >= 20
    assert validate(exchanges, specs_dir) == []
    assert uncovered(exchanges, specs_dir) == [
        "GET /email/public/v1/events", f"GET /form-integrations/v1/submissions/forms/{FORM_ID}"]


def test_the_validator_reports_a_response_that_breaks_the_spec(make_portal, specs_dir):
    portal = make_portal(seed(2))
    portal.client().crm.owners.owners_api.get_page(limit=1)
    good = portal.recorder.exchanges[-1]
    broken = type(good)(**{**good.__dict__, "response_body": b'{"results":[{"id":7}]}'})
    problems = validate([broken], specs_dir)
    assert len(problems) == 1 and "GET /crm/v3/owners" in problems[0] and "required" in problems[0]
