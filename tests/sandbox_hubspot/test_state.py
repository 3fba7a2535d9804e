"""Seed loading, deterministic dumps, and the request labels used for call accounting."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from werkzeug.test import Client

from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState, create_app

from .conftest import FORM_ID, T0, StepClock, seed


def scripted(state: HubSpotState) -> None:
    state.upsert_contact({"email": "new@x.io", "lifecyclestage": "subscriber"})
    state.record_email_event("person1@example1.com", "CLICK", campaign_id=3, url="https://u")
    state.record_form_submission(FORM_ID, {"email": "f@x.io"}, occurred_at=T0)
    state.record_event("1003", "e_visited_page")
    state.record_engagement("tasks", ["1004"], {"hs_task_subject": "Call back"})
    state.merge_contacts("1005", "1006")
    state.archive_contact("1007")
    state.gdpr_delete("1008")


def dumped(data: dict) -> bytes:
    state = HubSpotState.from_seed(data, clock=StepClock())
    scripted(state)
    return json.dumps(state.dump(), sort_keys=True).encode()


def test_same_seed_and_operations_dump_byte_identical():
    first, second = dumped(seed()), dumped(seed())
    assert first == second
    assert dumped(seed(21)) != first


def test_dump_round_trips_through_from_seed():
    state = HubSpotState.from_seed(seed(), clock=StepClock())
    scripted(state)
    again = HubSpotState.from_seed(state.dump(), clock=StepClock())
    assert json.dumps(again.dump(), sort_keys=True) == json.dumps(state.dump(), sort_keys=True)
    assert again.contact("1006")["id"] == "1005"  # the merge survives the round trip
    assert again.upsert_contact({"email": "next@x.io"}) == state.upsert_contact({"email": "next@x.io"})


@pytest.mark.parametrize("bad, message", [
    ({"contacts": [{"id": "1", "properties": {}}]}, "contacts[0]: missing field 'createdAt'"),
    ({"contacts": [{"id": "1", "createdAt": "yesterday"}]}, "contacts[0]"),
    ({"engagements": {"faxes": []}}, "unknown type 'faxes'"),
    ({"email_events": [{"id": "x", "type": "OPEN", "recipient": "a@b.c"}]},
     "email_events[0]: missing field 'created'"),
    ({"events": [{"id": "x", "eventType": "e", "objectId": "1", "occurredAt": "soon"}]},
     "events[0].occurredAt"),
])
def test_bad_seed_names_the_entry(bad, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        HubSpotState.from_seed(bad)


def test_ids_of_deleted_contacts_are_not_reused_after_a_reload():
    state = HubSpotState.from_seed(seed(3), clock=StepClock())
    state.gdpr_delete("1003")
    again = HubSpotState.from_seed(state.dump(), clock=StepClock())
    assert again.upsert_contact({"email": "n@x.io"}) == "1004"


def test_many_contacts_can_share_one_modified_millisecond():
    clock = StepClock()
    state = HubSpotState.from_seed(seed(0), clock=clock)
    ids = [state.upsert_contact({"email": f"b{i}@burst.io"}) for i in range(300)]
    stamps = {state.contact(i)["properties"]["lastmodifieddate"] for i in ids}
    assert len(ids) == len(set(ids)) == 300 and len(stamps) == 1


def test_upsert_contact_rejects_unknown_properties_and_bad_values():
    state = HubSpotState.from_seed(seed(2), clock=StepClock())
    with pytest.raises(ValueError, match='Property "favourite_colour" does not exist'):
        state.upsert_contact({"favourite_colour": "red"})
    with pytest.raises(ValueError, match="lifecyclestage"):
        state.upsert_contact({"lifecyclestage": "buyer"}, id="1001")


@pytest.mark.parametrize("method, path, label", [
    ("GET", "/crm/v3/objects/contacts/1001", "GET /crm/v3/objects/contacts/{contactId}"),
    ("POST", "/crm/v3/objects/calls/search", "POST /crm/v3/objects/calls/search"),
    ("GET", "/events/v3/events/", "GET /events/v3/events"),
    ("GET", "/crm/v3/owners/", "GET /crm/v3/owners"),
    ("GET", "/nowhere", "GET (unmatched)"),
])
def test_every_request_is_labelled_for_accounting(method, path, label):
    seen = {}
    app = create_app(HubSpotState.from_seed(seed(2), clock=StepClock()), HubSpotSettings())

    def spy(environ, start_response):
        result = app(environ, start_response)
        seen.update(system=environ["sandbox.system"], endpoint=environ["sandbox.endpoint"])
        return result
    Client(spy).open(path, method=method, json={} if method == "POST" else None,
                     headers={"Authorization": "Bearer sandbox-hubspot-token"})
    assert seen == {"system": "hubspot", "endpoint": label}


def test_late_arriving_event_is_listed_in_its_past_window():
    clock = StepClock()
    state = HubSpotState.from_seed(seed(2), clock=clock)
    state.record_event("1001", "e_visited_page", occurred_at=T0 - timedelta(days=3))
    assert state.contact("1001")["updatedAt"] == clock.at
    assert state.dump()["events"][-1]["occurredAt"] == "2026-02-26T12:00:00.000Z"
