"""A served HubSpot emulator driven through the real ``hubspot-api-client`` over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hubspot import HubSpot

from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState, create_app
from syncd_sandbox.hubspot.contract import Recorder, find_specs_dir, validate
from syncd_sandbox.server import ServedApp, serve

REPO = Path(__file__).resolve().parents[2]
SPECS = find_specs_dir(REPO)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TOKEN = "sandbox-hubspot-token"
FORM_ID = "5b1c2a9e-0000-4000-8000-000000000001"


def iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


class StepClock:
    """A clock that moves only when told."""

    def __init__(self, at: datetime = T0 + timedelta(days=30)):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> None:
        self.at += timedelta(**kw)


def contact_row(i: int, **props: Any) -> dict:
    """Seed contact number ``i``: id 1000+i, created i minutes after T0."""
    at = iso(T0 + timedelta(minutes=i))
    base = {"email": f"person{i}@example{i % 7}.com", "firstname": f"First{i}",
            "lastname": f"Last{i}", "company": f"Company {i % 13}", "lifecyclestage": "lead",
            "createdate": at, "lastmodifieddate": at, "hs_email_optout": "false"}
    base.update(props)
    return {"id": str(1000 + i), "createdAt": at, "updatedAt": at, "archived": False,
            "properties": base}


def seed(n: int = 20, **extra: Any) -> dict:
    """A small portal: ``n`` contacts, two owners, one form, a few events and engagements."""
    data = {
        "portal_id": 4000123,
        "owners": [{"id": str(100 + k), "email": f"owner{k}@vendor.com", "firstName": f"Own{k}",
                    "lastName": "Er", "userId": 9000 + k, "createdAt": iso(T0),
                    "updatedAt": iso(T0), "archived": False} for k in range(1, 4)],
        "contacts": [contact_row(i) for i in range(1, n + 1)],
        "forms": [{"id": FORM_ID, "name": "Demo request", "formType": "hubspot",
                   "createdAt": iso(T0), "updatedAt": iso(T0), "archived": False}],
        "form_submissions": [],
        "email_events": [{"id": "e1", "created": 1772366400000, "type": "OPEN",
                          "recipient": "person1@example1.com", "emailCampaignId": 77, "appId": 113}],
        "events": [{"id": "ev1", "eventType": "e_visited_page", "objectType": "contact",
                    "objectId": "1001", "occurredAt": iso(T0 + timedelta(hours=1)),
                    "properties": {"hs_url": "https://vendor.com/pricing"}}],
        "engagements": {"notes": [{"id": "501", "createdAt": iso(T0), "updatedAt": iso(T0),
                                   "archived": False,
                                   "properties": {"hs_timestamp": iso(T0), "hs_note_body": "hi"},
                                   "contact_ids": ["1001", "1002"]}]},
    }
    data.update(extra)
    return data


@dataclass
class Portal:
    state: HubSpotState
    settings: HubSpotSettings
    clock: StepClock
    served: ServedApp
    recorder: Recorder

    def client(self, token: str = TOKEN) -> HubSpot:
        """The real SDK pointed at the emulator (``base_url`` for ``api_request``)."""
        return HubSpot(access_token=token, host=self.served.url, base_url=self.served.url)


def open_portal(data: dict, **settings: Any) -> Portal:
    clock = StepClock()
    state = HubSpotState.from_seed(data, clock=clock)
    config = HubSpotSettings(**{"rate_limit_per_10s": None, "search_per_second": None, **settings})
    recorder = Recorder(create_app(state, config))
    return Portal(state, config, clock, serve(recorder), recorder)


def close(p: Portal) -> None:
    """Stop a server without waiting out its half-second poll (keeps the suite fast), then
    check all its traffic against HubSpot's specs (test_contract.py skips or fails when the
    specs are missing; here they are simply not checked)."""
    threading.Thread(target=p.served.shutdown, daemon=True).start()
    if SPECS is not None:
        problems = validate(p.recorder.exchanges, SPECS, check_rejected_requests=False)
        assert problems == [], "traffic breaks HubSpot's published contract:\n" + "\n".join(problems)


@pytest.fixture
def portal() -> Iterator[Portal]:
    p = open_portal(seed())
    yield p
    close(p)


@pytest.fixture
def make_portal() -> Iterator[Any]:
    opened: list[Portal] = []

    def make(data: dict, **settings: Any) -> Portal:
        opened.append(open_portal(data, **settings))
        return opened[-1]
    yield make
    for p in opened:
        close(p)
