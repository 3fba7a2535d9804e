"""Property creation, Owners v3 and batch create/update of contacts, through the real SDK."""

from __future__ import annotations

import pytest
from hubspot.crm.properties.exceptions import ApiException as PropertiesApiException


def _create(client, **body):
    return client.crm.properties.core_api.create("contacts", property_create=body)


VERDICT = {"name": "syncd_sales_verdict", "label": "Sales verdict", "type": "enumeration",
           "fieldType": "select", "groupName": "sales_properties",
           "options": [{"label": "Working", "value": "working", "hidden": False},
                       {"label": "Not now", "value": "not_now", "hidden": False}]}


def test_a_created_property_is_listed_written_and_read(portal):
    client = portal.client()
    made = _create(client, **VERDICT)
    assert (made.name, made.type, made.hubspot_defined) == ("syncd_sales_verdict", "enumeration", False)
    assert [o.value for o in made.options] == ["working", "not_now"]
    listed = client.crm.properties.core_api.get_all("contacts").results
    assert "syncd_sales_verdict" in {p.name for p in listed}
    client.crm.contacts.batch_api.update(batch_input_simple_public_object_batch_input={
        "inputs": [{"id": "1001", "properties": {"syncd_sales_verdict": "not_now"}}]})
    read = client.crm.contacts.basic_api.get_by_id("1001", properties=["syncd_sales_verdict"])
    assert read.properties["syncd_sales_verdict"] == "not_now"
    refused = client.crm.contacts.batch_api.update(batch_input_simple_public_object_batch_input={
        "inputs": [{"id": "1001", "properties": {"syncd_sales_verdict": "maybe"}}]})
    assert refused.results == [] and "was not one of the allowed options" in refused.errors[0].message


def test_a_taken_name_is_a_409(portal):
    client = portal.client()
    _create(client, name="syncd_score", label="Score", type="number", fieldType="number",
            groupName="contactinformation")
    with pytest.raises(PropertiesApiException) as caught:
        _create(client, name="syncd_score", label="Again", type="number", fieldType="number",
                groupName="contactinformation")
    assert caught.value.status == 409 and "OBJECT_ALREADY_EXISTS" in caught.value.body
    with pytest.raises(PropertiesApiException) as standard:
        _create(client, name="email", label="E", type="string", fieldType="text",
                groupName="contactinformation")
    assert standard.value.status == 409


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "Bad Name"}, "name"),
    ({"type": "enumeration", "fieldType": "select"}, "options"),
    ({"type": "number", "fieldType": "select"}, "fieldType"),
    ({"type": "colour"}, "type"),
    ({"label": ""}, "label"),
])
def test_a_bad_definition_is_a_400_naming_the_field(portal, change, field):
    body = {"name": "syncd_x", "label": "X", "type": "string", "fieldType": "text",
            "groupName": "contactinformation", **change}
    with pytest.raises(PropertiesApiException) as caught:
        _create(portal.client(), **body)
    assert caught.value.status == 400 and f'"in":"{field}"' in caught.value.body


def test_owners_are_found_by_email(portal):
    owners = portal.client().crm.owners.owners_api
    page = owners.get_page(email="OWNER2@vendor.com", limit=10)
    assert [(o.id, o.email, o.user_id) for o in page.results] == [("102", "owner2@vendor.com", 9002)]
    every = owners.get_page(limit=2)
    assert len(every.results) == 2 and every.paging.next.after == "2"
    assert owners.get_by_id(9003, id_property="userId").id == "103"


def test_batch_create_then_update_many_contacts(portal):
    batch = portal.client().crm.contacts.batch_api
    made = batch.create(batch_input_simple_public_object_batch_input_for_create={"inputs": [
        {"properties": {"email": f"new{i}@x.io", "firstname": f"N{i}"}, "associations": []}
        for i in range(3)]})
    ids = sorted(r.id for r in made.results)
    assert len(ids) == 3
    updated = batch.update(batch_input_simple_public_object_batch_input={"inputs": [
        {"id": i, "properties": {"hs_lead_status": "IN_PROGRESS"}} for i in ids]})
    assert sorted(r.id for r in updated.results) == ids
    assert {portal.state.contact(i)["properties"]["hs_lead_status"] for i in ids} == {"IN_PROGRESS"}
