"""Fixtures: a gateway against mocked HTTP (``responses``) and against the emulator (TLS)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import responses

from connectors.salesforce import SalesforceClientSettings, SalesforceGateway

LOGIN = "https://login.example.test"
INSTANCE = "https://acme.my.example.test"
DATA = f"{INSTANCE}/services/data/v59.0"
TOKEN_URL = f"{LOGIN}/services/oauth2/token"
SECRET = "s3cr3t-value-never-logged"


class Sleeps(list):
    """Records the waits the retry layer asked for, instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def settings(**overrides) -> SalesforceClientSettings:
    values = dict(login_url=LOGIN, auth="client_credentials", client_id="cid",
                  client_secret=SECRET, bulk_poll_seconds=0)
    return SalesforceClientSettings(**{**values, **overrides})


def sf_error(code: str, message: str = "boom", status: int = 400, **extra) -> dict:
    """A ``responses`` reply shaped like a Salesforce error (a JSON array)."""
    return dict(status=status, json=[{"errorCode": code, "message": message, "fields": []}],
                **extra)


def query_body(rows: list[dict]) -> dict:
    return {"totalSize": len(rows), "done": True, "records": rows}


def soql_of(call) -> str:
    """The SOQL text of a recorded query call."""
    from urllib.parse import parse_qs, urlsplit
    return parse_qs(urlsplit(call.request.url).query)["q"][0]


def body_of(call) -> dict:
    return json.loads(call.request.body)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """Mocked HTTP with a working token endpoint; every other call must be registered."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.post(TOKEN_URL, json={"access_token": "00Dx!token", "instance_url": INSTANCE})
        yield rsps


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def gateway(mocked, sleeps) -> SalesforceGateway:
    return SalesforceGateway(settings(), sleep=sleeps)


def calls_to(rsps: responses.RequestsMock, pattern: str) -> list:
    return [c for c in rsps.calls if re.search(pattern, c.request.url)]
