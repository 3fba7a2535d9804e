"""The ``HubSpotSource`` contract, run over the in-memory fake and over the real connector
against the HubSpot emulator (hubspot-api-client over HTTP)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.models import EngagementEvent, EngagementKind, HubSpotContact
from syncd.testing import MemoryHubSpot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hubspot"))
from hs_portal import NOW, small_seed, start_portal  # noqa: E402


OWNERS = [{"id": "501", "email": "olive@x.example", "firstName": "Olive", "lastName": "Owner",
           "createdAt": "2026-01-01T00:00:00.000Z", "userId": 9}]


def _seed() -> dict:
    return {**small_seed(12), "owners": OWNERS}


class MemoryDriver:
    """Arranges the in-memory portal the way a user would change HubSpot."""

    def __init__(self) -> None:
        self.source, self.now = MemoryHubSpot(page_size=7, owners=OWNERS), NOW
        self.source.clock = lambda: self.now
        for row in small_seed(12)["contacts"]:
            self.source.put_contact(HubSpotContact(id=row["id"], properties=row["properties"], updated_at=NOW))

    def change(self, contact_id: str, **props) -> None:
        old = self.source.contacts[contact_id]
        self.source.put_contact(HubSpotContact(id=contact_id, properties={**old.properties, **props},
                                               updated_at=self.now))

    def page_view(self, contact_id: str) -> None:
        self.source.record(EngagementEvent(id=f"events:{contact_id}:1", contact_id=contact_id,
                                           kind=EngagementKind.PAGE_VIEW, occurred_at=self.now,
                                           attributes={"url": "https://x.example/pricing"}))

    def tick(self) -> None:
        self.now += timedelta(minutes=10)


class EmulatorDriver:
    def __init__(self) -> None:
        self.portal, self.served = start_portal(_seed())
        self.source = self.portal.connector()

    @property
    def now(self):
        return self.portal.clock.now()

    def change(self, contact_id: str, **props) -> None:
        self.portal.state.upsert_contact(props, id=contact_id)

    def page_view(self, contact_id: str) -> None:
        self.portal.state.record_event(contact_id, "e_visited_page", properties={"hs_url": "https://x.example/pricing"})

    def tick(self) -> None:
        self.portal.tick(minutes=10)


@pytest.fixture(params=["memory", "emulator"])
def portal(request):
    driver = MemoryDriver() if request.param == "memory" else EmulatorDriver()
    yield driver
    if request.param == "emulator":
        driver.served.shutdown()


def _pull(portal, cursors: dict) -> tuple[list[HubSpotContact], list[EngagementEvent]]:
    contacts, events = [], []
    for batch in portal.source.pull(cursors, properties=["firstname"], now=portal.now):
        contacts += batch.contacts
        events += batch.events
        cursors.update(batch.cursors)
    return contacts, events


def test_a_first_pull_reads_every_contact_with_its_email_and_the_requested_properties(portal):
    contacts, _ = _pull(portal, {})
    assert sorted(c.id for c in contacts) == [str(1001 + i) for i in range(12)]
    assert all(c.properties.get("firstname") and c.properties.get("email") for c in contacts)
    assert all(c.updated_at.tzinfo is not None for c in contacts)


def test_the_returned_cursors_make_the_next_idle_pull_empty(portal):
    cursors: dict = {}
    _pull(portal, cursors)
    portal.tick()
    assert _pull(portal, cursors) == ([], [])


def test_a_changed_contact_and_new_engagement_come_back_once(portal):
    cursors: dict = {}
    _pull(portal, cursors)
    portal.tick()
    portal.change("1004", firstname="Renamed")
    portal.page_view("1007")
    contacts, events = _pull(portal, cursors)
    changed = {c.id: c for c in contacts}
    assert changed["1004"].properties["firstname"] == "Renamed"
    assert [(e.contact_id, e.kind) for e in events] == [("1007", EngagementKind.PAGE_VIEW)]
    portal.tick()
    assert _pull(portal, cursors)[1] == []


def test_usage_counts_calls_and_the_portal_names_its_stages(portal):
    before = portal.source.usage().total
    _pull(portal, {})
    assert portal.source.usage().total > before
    assert "lead" in portal.source.lifecycle_stages()


def test_batch_updates_write_properties_and_name_each_failed_row(portal):
    ok, missing = portal.source.update_contacts([{"id": "1003", "properties": {"firstname": "Set"}},
                                                 {"id": "999999", "properties": {"firstname": "X"}}])
    assert ok.ok and ok.key == "1003" and not missing.ok and missing.key == "999999" and not missing.retriable
    portal.tick()
    contacts, _ = _pull(portal, {})
    assert {c.id: c.properties["firstname"] for c in contacts}["1003"] == "Set"


def test_lifecyclestage_moves_back_only_when_cleared_in_an_earlier_request(portal):
    def stage() -> str:
        portal.tick()
        found = {c.id: c for c in portal.source.pull({}, properties=["lifecyclestage"], now=portal.now)
                 .__next__().contacts}
        return found["1002"].properties.get("lifecyclestage") or ""

    portal.source.update_contacts([{"id": "1002", "properties": {"lifecyclestage": "opportunity"}}])
    portal.source.update_contacts([{"id": "1002", "properties": {"lifecyclestage": "lead"}}])
    assert stage() == "opportunity"  # a backward move alone is ignored
    portal.source.update_contacts([{"id": "1002", "properties": {"lifecyclestage": ""}}])
    portal.source.update_contacts([{"id": "1002", "properties": {"lifecyclestage": "lead"}}])
    assert stage() == "lead"


def test_batch_create_returns_new_ids_keyed_by_email_and_refuses_a_taken_email(portal):
    made, taken = portal.source.create_contacts([{"properties": {"email": "New@Example.com", "firstname": "N"}},
                                                {"properties": {"email": "p1@example.com"}}])
    assert made.ok and made.created and made.key == "new@example.com" and made.id
    assert not taken.ok and taken.key == "p1@example.com"


def test_owners_are_listed_with_their_email(portal):
    assert [(o["id"], o["email"]) for o in portal.source.owners()] == [("501", "olive@x.example")]
