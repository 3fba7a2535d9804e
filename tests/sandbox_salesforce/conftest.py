"""A running emulator over TLS and a logged-in simple-salesforce client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from simple_salesforce import Salesforce

from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
from syncd_sandbox.server import LocalCA, serve

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
USER = "0055e000001AAAAAAA"
QUEUE = "00G5e0000000001EAA"


class Clock:
    """An injectable clock the tests move by hand."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def lead(n: int, **extra) -> dict:
    return {"Id": None, "FirstName": f"First{n}", "LastName": f"Last{n}",
            "Email": f"person{n}@example.com", "Company": f"Company {n % 7}",
            "Status": "Open - Not Contacted", "OwnerId": USER,
            "HubSpot_Id__c": str(1000 + n), "CreatedDate": "2026-01-01T00:00:00.000Z",
            "LastModifiedDate": "2026-01-01T00:00:00.000Z", **extra}


def small_seed(leads: int = 5) -> dict:
    return {
        "org_id": "00D5e000000AbCdEAK",
        "users": [{"Id": USER, "Username": "owner@sandbox.example", "Email": "owner@x.example",
                   "FirstName": "Olive", "LastName": "Owner", "IsActive": True}],
        "groups": [{"Id": QUEUE, "Name": "Inbound Leads", "DeveloperName": "Inbound_Leads",
                    "Type": "Queue"},
                   {"Name": "Everyone", "DeveloperName": "Everyone", "Type": "Regular"}],
        "leads": [{k: v for k, v in lead(n).items() if v is not None} for n in range(leads)],
    }


@pytest.fixture(scope="session")
def ca(tmp_path_factory) -> LocalCA:
    return LocalCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


class _Switch:
    """One server for the whole run; each test plugs its own org in (shutdown costs 0.5 s)."""

    def __init__(self) -> None:
        self.app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def switch(ca):
    app = _Switch()
    served = serve(app, tls=ca)
    yield app, served
    served.shutdown()


@pytest.fixture
def org(request, switch, clock):
    """(state, settings, served app) of a fresh org; ``indirect`` params replace the seed."""
    seed = getattr(request, "param", None) or small_seed()
    state = SalesforceState.from_seed(seed, clock=clock)
    settings = SalesforceSettings()
    app, served = switch
    app.app = create_app(state, settings)
    return state, settings, served


@pytest.fixture
def session(ca) -> requests.Session:
    s = requests.Session()
    s.verify = str(ca.ca_file)
    s.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides verify
    return s


@pytest.fixture
def sf(org, session) -> Salesforce:
    _state, settings, served = org
    host = served.url.removeprefix("https://")
    return Salesforce(consumer_key=settings.client_id, consumer_secret=settings.client_secret,
                      domain=f"{host}/services/oauth2/token?", session=session)
