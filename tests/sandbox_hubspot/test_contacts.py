"""Contacts v3 through the real client: reads, batch writes, lifecycle rule, merges, errors."""

from __future__ import annotations

import json

import pytest
import requests
from hubspot.crm.contacts.exceptions import ApiException, NotFoundException, UnauthorizedException

from .conftest import TOKEN


def upsert(client, inputs):
    return client.crm.contacts.batch_api.upsert(batch_input_simple_public_object_batch_input_upsert={"inputs": inputs})


def update(client, inputs):
    return client.crm.contacts.batch_api.update(batch_input_simple_public_object_batch_input={"inputs": inputs})


def stage(portal, cid):
    return portal.state.contact(cid)["properties"]["lifecyclestage"]


def test_list_pages_in_id_order_with_requested_properties(portal):
    api = portal.client().crm.contacts.basic_api
    first = api.get_page(limit=15, properties=["company", "email", "no_such_property", "phone"],
                         archived=False)
    assert [r.id for r in first.results] == [str(1000 + i) for i in range(1, 16)]
    props = first.results[0].properties
    assert props["company"] == "Company 1" and props["phone"] is None  # defined, unset: null
    assert "no_such_property" not in props  # unknown names are ignored, as HubSpot does
    rest = api.get_page(limit=15, after=first.paging.next.after)
    assert [r.id for r in rest.results] == [str(1000 + i) for i in range(16, 21)] and rest.paging is None


def test_get_by_email_and_property_history(portal):
    client = portal.client()
    update(client, [{"id": "1004", "properties": {"company": "Acme"}}])
    got = client.crm.contacts.basic_api.get_by_id("PERSON4@example4.com", id_property="email",
                                                 properties_with_history=["company"])
    assert got.id == "1004"
    assert [h.value for h in got.properties_with_history["company"]] == ["Acme", "Company 4"]


def test_batch_upsert_reports_failed_records_with_207(portal):
    client = portal.client()
    result = upsert(client, [
        {"id": "person1@example1.com", "idProperty": "email", "properties": {"jobtitle": "CTO"}},
        {"id": "new@fresh.io", "idProperty": "email", "properties": {"firstname": "Nova"}},
        {"id": "bad@fresh.io", "idProperty": "email", "properties": {"lifecyclestage": "prospect"}},
    ])
    assert sorted((r.properties["email"], r.new) for r in result.results) == [
        ("new@fresh.io", True), ("person1@example1.com", False)]
    assert result.num_errors == 1 and "prospect" in result.errors[0].message
    assert result.errors[0].context == {"ids": ["bad@fresh.io"]}
    assert portal.state.contact("1001")["properties"]["jobtitle"] == "CTO"


def test_batch_read_reports_unknown_ids_and_follows_merges(portal):
    portal.state.merge_contacts("1001", "1002")
    result = portal.client().crm.contacts.batch_api.read(batch_read_input_simple_public_object_id={
        "inputs": [{"id": "1002"}, {"id": "999999"}], "properties": ["email"], "propertiesWithHistory": []})
    assert [r.id for r in result.results] == ["1001"]
    assert result.errors[0].category == "OBJECT_NOT_FOUND" and result.errors[0].context == {"ids": ["999999"]}


def test_more_than_100_inputs_is_a_400(portal):
    with pytest.raises(ApiException) as err:
        update(portal.client(), [{"id": str(2000 + i), "properties": {}} for i in range(101)])
    assert err.value.status == 400 and "at most 100" in json.loads(err.value.body)["message"]


def test_lifecycle_stage_only_moves_forward(portal):
    client = portal.client()
    update(client, [{"id": "1001", "properties": {"lifecyclestage": "opportunity"}}])
    update(client, [{"id": "1001", "properties": {"lifecyclestage": "lead"}}])
    assert stage(portal, "1001") == "opportunity"
    update(client, [{"id": "1001", "properties": {"lifecyclestage": ""}}])
    assert stage(portal, "1001") == ""
    update(client, [{"id": "1001", "properties": {"lifecyclestage": "lead"}}])
    assert stage(portal, "1001") == "lead"
    assert portal.state.contact("1001")["properties"]["hs_lifecyclestage_opportunity_date"]


def test_clear_and_set_in_one_batch_does_not_move_back(portal):
    client = portal.client()
    update(client, [{"id": "1002", "properties": {"lifecyclestage": "customer"}}])
    update(client, [{"id": "1002", "properties": {"lifecyclestage": ""}},
                    {"id": "person2@example2.com", "idProperty": "email",
                     "properties": {"lifecyclestage": "lead"}}])
    assert stage(portal, "1002") != "lead"


def test_merge_keeps_old_id_resolving_to_the_survivor(portal):
    client = portal.client()
    merged = client.crm.contacts.basic_api.merge(public_merge_input={"primaryObjectId": "1003",
                                                                     "objectIdToMerge": "1004"})
    assert merged.id == "1003"
    got = client.crm.contacts.basic_api.get_by_id("1004", properties=["hs_merged_object_ids",
                                                                      "hs_additional_emails"])
    assert got.id == "1003" and got.properties["hs_merged_object_ids"] == "1004"
    assert got.properties["hs_additional_emails"] == "person4@example4.com"
    listed = [r.id for r in client.crm.contacts.basic_api.get_page(limit=100).results]
    assert "1004" not in listed and "1003" in listed


def test_archive_and_gdpr_delete(portal):
    client = portal.client()
    client.crm.contacts.basic_api.archive("1005")
    with pytest.raises(NotFoundException):
        client.crm.contacts.basic_api.get_by_id("1005")
    assert client.crm.contacts.basic_api.get_by_id("1005", archived=True).archived is True
    client.crm.contacts.basic_api.purge(public_gdpr_delete_input={"objectId": "1006"})
    with pytest.raises(NotFoundException):
        client.crm.contacts.basic_api.get_by_id("1006", archived=True)


def test_create_conflict_on_duplicate_email(portal):
    with pytest.raises(ApiException) as err:
        portal.client().crm.contacts.basic_api.create(simple_public_object_input_for_create={
            "properties": {"email": "Person7@example0.com"}, "associations": []})
    assert err.value.status == 409 and "Existing ID: 1007" in json.loads(err.value.body)["message"]


def test_wrong_token_is_a_401_with_hubspots_body(portal):
    with pytest.raises(UnauthorizedException) as err:
        portal.client(token="nope").crm.contacts.basic_api.get_page()
    body = json.loads(err.value.body)
    assert body["category"] == "INVALID_AUTHENTICATION" and body["status"] == "error"
    assert body["correlationId"]


@pytest.mark.parametrize("method, path, data, status, category", [
    ("GET", "/crm/v3/nothing-here", None, 404, "OBJECT_NOT_FOUND"),
    ("POST", "/crm/v3/objects/contacts/search", b"{not json", 400, "VALIDATION_ERROR"),
    ("GET", "/crm/v3/objects/contacts?limit=101", None, 400, "VALIDATION_ERROR"),
    ("GET", "/crm/v3/objects/contacts?archived=maybe", None, 400, "VALIDATION_ERROR"),
])
def test_bad_requests_get_hubspot_error_json(portal, method, path, data, status, category):
    response = requests.request(method, portal.served.url + path, data=data, timeout=5,
                                headers={"Authorization": f"Bearer {TOKEN}",
                                         "Content-Type": "application/json"})
    assert response.status_code == status and response.json()["category"] == category


def test_writes_bump_lastmodifieddate_only_on_change(portal):
    client = portal.client()
    before = portal.state.contact("1008")["properties"]["lastmodifieddate"]
    portal.clock.advance(minutes=5)
    update(client, [{"id": "1008", "properties": {"firstname": "First8"}}])
    assert portal.state.contact("1008")["properties"]["lastmodifieddate"] == before
    update(client, [{"id": "1008", "properties": {"firstname": "Eight"}}])
    assert portal.state.contact("1008")["updatedAt"] == portal.clock.at
