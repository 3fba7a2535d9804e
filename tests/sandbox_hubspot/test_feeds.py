"""Events, email events, form submissions, forms, properties, owners and associations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import FORM_ID, T0, seed


def test_events_with_trailing_slash_filter_by_contact_and_window(portal):
    state = portal.state
    state.record_event("1002", "e_visited_page", occurred_at=T0 + timedelta(hours=2),
                       properties={"hs_url": "https://vendor.com/a"})
    state.record_event("1002", "pe4000123_demo_booked", occurred_at=T0 + timedelta(hours=3))
    state.record_event("1002", "e_visited_page", occurred_at=T0 - timedelta(days=1))
    api = portal.client().events.events_api  # the SDK calls /events/v3/events/
    page = api.get_page(object_type="contact", object_id=1002, occurred_after=T0, limit=10)
    assert [e.event_type for e in page.results] == ["pe4000123_demo_booked", "e_visited_page"]
    only = api.get_page(object_type="contact", object_id=1002, event_type="e_visited_page",
                        sort=["occurredAt"], limit=1)
    assert only.results[0].occurred_at < T0 and only.paging.next.after == "1"
    assert only.results[0].object_id == "1002"


def test_email_events_v1_by_created_window_and_paging(portal):
    state = portal.state
    base = T0 + timedelta(days=2)
    for k, kind in enumerate(["SENT", "DELIVERED", "OPEN", "CLICK"]):
        state.record_email_event("person3@example3.com", kind, campaign_id=88,
                                 occurred_at=base + timedelta(minutes=k), url="https://v.com")
    start = int(base.timestamp() * 1000)
    client = portal.client()
    first = client.api_request({"method": "GET", "path": "/email/public/v1/events",
                                "qs": {"startTimestamp": start, "endTimestamp": start + 600_000,
                                       "limit": 3}}).json()
    assert [e["type"] for e in first["events"]] == ["CLICK", "OPEN", "DELIVERED"]
    assert first["hasMore"] is True
    rest = client.api_request({"method": "GET", "path": "/email/public/v1/events",
                               "qs": {"startTimestamp": start, "limit": 3,
                                      "offset": first["offset"]}}).json()
    assert [e["type"] for e in rest["events"]] == ["SENT"] and rest["hasMore"] is False
    opens = client.api_request({"method": "GET", "path": "/email/public/v1/events",
                                "qs": {"eventType": "OPEN", "recipient": "PERSON3@example3.com"}}).json()
    assert [e["emailCampaignId"] for e in opens["events"]] == [88]


def test_form_submissions_page_newest_first_and_create_contacts(portal):
    state = portal.state
    for k in range(3):
        state.record_form_submission(FORM_ID, {"email": f"lead{k}@new.io", "firstname": f"L{k}",
                                               "how_did_you_hear": "podcast"},
                                     occurred_at=T0 + timedelta(days=k), page_url="https://v.com/demo")
    client = portal.client()
    path = f"/form-integrations/v1/submissions/forms/{FORM_ID}"
    page = client.api_request({"method": "GET", "path": path, "qs": {"limit": 2}}).json()
    assert [v["values"][0]["value"] for v in page["results"]] == ["lead2@new.io", "lead1@new.io"]
    assert {"name": "how_did_you_hear", "value": "podcast"} in page["results"][0]["values"]
    after = page["paging"]["next"]["after"]
    rest = client.api_request({"method": "GET", "path": path, "qs": {"limit": 2, "after": after}}).json()
    assert len(rest["results"]) == 1 and "paging" not in rest
    cid = state.rules.email_index["lead0@new.io"]
    props = state.contact(cid)["properties"]
    assert props["num_conversion_events"] == "1" and props["recent_conversion_event_name"] == "Demo request"
    forms = client.marketing.forms.forms_api.get_page()
    assert [f.id for f in forms.results] == [FORM_ID]


def test_properties_include_the_portal_lifecycle_options(make_portal):
    stages = [{"value": "lead", "label": "Lead", "displayOrder": 0},
              {"value": "1234567", "label": "Trial", "displayOrder": 1},
              {"value": "customer", "label": "Customer", "displayOrder": 2}]
    portal = make_portal(seed(3, lifecycle_stages=stages, contact_properties=[
        {"name": "fit_grade", "label": "Fit", "type": "enumeration", "fieldType": "select",
         "groupName": "scoring", "options": [{"label": "A", "value": "A", "hidden": False}]}]))
    api = portal.client().crm.properties.core_api
    stage = api.get_by_name("contacts", "lifecyclestage")
    assert [o.value for o in stage.options] == ["lead", "1234567", "customer"]
    names = {p.name: p for p in api.get_all("contacts").results}
    assert names["createdate"].type == "datetime" and names["fit_grade"].options[0].value == "A"
    assert {"email", "hs_email_optout", "hubspot_owner_id", "numemployees"} <= set(names)


def test_custom_stage_order_drives_the_forward_only_rule(make_portal):
    stages = [{"value": "customer", "label": "Customer", "displayOrder": 5},
              {"value": "lead", "label": "Lead", "displayOrder": 1}]
    portal = make_portal(seed(2, contacts=[], lifecycle_stages=stages))
    client = portal.client()
    cid = client.crm.contacts.basic_api.create(simple_public_object_input_for_create={
        "properties": {"email": "a@b.io", "lifecyclestage": "customer"}, "associations": []}).id
    client.crm.contacts.basic_api.update(cid, simple_public_object_input={
        "properties": {"lifecyclestage": "lead"}})
    assert portal.state.contact(cid)["properties"]["lifecyclestage"] == "customer"


def test_owners_page_and_get(portal):
    api = portal.client().crm.owners.owners_api
    first = api.get_page(limit=2)
    assert [o.id for o in first.results] == ["101", "102"]
    rest = api.get_page(limit=2, after=first.paging.next.after)
    assert [o.email for o in rest.results] == ["owner3@vendor.com"] and rest.paging is None
    assert api.get_by_id(102).user_id == 9002


def test_associations_both_ways(portal):
    state = portal.state
    meeting = state.record_engagement("meetings", ["1001"], {"hs_meeting_title": "Demo"},
                                      occurred_at=T0 + timedelta(days=3))
    v4 = portal.client().crm.associations.v4
    notes = v4.basic_api.get_page("contacts", "1001", "notes")
    assert [r.to_object_id for r in notes.results] == ["501"]
    assert notes.results[0].association_types[0].type_id == 201
    back = v4.basic_api.get_page("meetings", meeting, "contacts")
    assert [r.to_object_id for r in back.results] == ["1001"]
    batch = v4.batch_api.get_page("contacts", "notes", batch_input_public_fetch_associations_batch_request={
        "inputs": [{"id": "1001"}, {"id": "1002"}, {"id": "1003"}]})
    assert sorted(r._from.id for r in batch.results) == ["1001", "1002"]
    assert batch.errors[0].context == {"fromObjectId": ["1003"]}


def test_engagement_objects_read_and_search(portal):
    call = portal.state.record_engagement("calls", ["1004"], {"hs_call_direction": "OUTBOUND"},
                                          occurred_at=T0 + timedelta(days=1))
    calls = portal.client().crm.objects.calls
    got = calls.basic_api.get_by_id(call, properties=["hs_call_direction"], associations=["contacts"])
    assert got.properties["hs_call_direction"] == "OUTBOUND"
    assert got.associations["contacts"].results[0].id == "1004"
    found = calls.search_api.do_search(public_object_search_request={
        "filterGroups": [{"filters": [{"propertyName": "hs_timestamp", "operator": "GT",
                                       "value": str(int(T0.timestamp() * 1000))}]}],
        "limit": 10, "after": "0", "sorts": [], "properties": ["hs_timestamp"]})
    assert [r.id for r in found.results] == [call]


@pytest.mark.parametrize("record, expect", [
    (lambda s: s.record_email_event("person5@example5.com", "OPEN", campaign_id=1,
                                    occurred_at=T0 + timedelta(days=1)),
     {"hs_email_last_open_date": "2026-03-02T12:00:00.000Z", "hs_email_open": "1"}),
    (lambda s: s.record_email_event("person5@example5.com", "STATUSCHANGE", campaign_id=1,
                                    portalSubscriptionStatus="UNSUBSCRIBED"),
     {"hs_email_optout": "true"}),
    (lambda s: s.record_event("1005", "e_visited_page", occurred_at=T0 + timedelta(days=1)),
     {"hs_analytics_num_page_views": "1", "hs_analytics_last_visit_timestamp": "2026-03-02T12:00:00.000Z"}),
    (lambda s: s.record_engagement("emails", ["1005"], {"hs_email_direction": "INCOMING_EMAIL"},
                                   occurred_at=T0 + timedelta(days=1)),
     {"hs_sales_email_last_replied": "2026-03-02T12:00:00.000Z",
      "hs_last_sales_activity_timestamp": "2026-03-02T12:00:00.000Z"}),
    (lambda s: s.record_engagement("notes", ["1005"], {"hs_note_body": "x"},
                                   occurred_at=T0 + timedelta(days=1)),
     {"notes_last_updated": "2026-03-02T12:00:00.000Z"}),
])
def test_recorded_activity_updates_summaries_and_bumps_modified_time(portal, record, expect):
    portal.clock.advance(hours=1)
    record(portal.state)
    contact = portal.state.contact("1005")
    assert {k: contact["properties"].get(k) for k in expect} == expect
    assert contact["updatedAt"] == portal.clock.at
    assert contact["properties"]["lastmodifieddate"].startswith(portal.clock.at.strftime("%Y-%m-%dT%H:%M"))


def test_late_data_never_moves_a_summary_date_back(portal):
    state = portal.state
    state.record_email_event("person6@example6.com", "OPEN", campaign_id=1, occurred_at=T0 + timedelta(days=5))
    state.record_email_event("person6@example6.com", "OPEN", campaign_id=1, occurred_at=T0)
    props = state.contact("1006")["properties"]
    assert props["hs_email_last_open_date"] == "2026-03-06T12:00:00.000Z" and props["hs_email_open"] == "2"
