"""Webhook signature v3, replay protection, and the inbox the next pull reads first."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from werkzeug.test import Client

from connectors.hubspot.webhooks import WebhookInbox, create_webhook_app

SECRET = "client-secret"
URL = "https://syncd.example.com/hubspot/webhooks"
NOW_MS = 1_795_608_000_000


def _sign(body: str, ts: int, secret: str = SECRET, uri: str = URL) -> str:
    raw = f"POST{uri}{body}{ts}".encode()
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def _post(client: Client, body: str, *, ts: int = NOW_MS, signature: str | None = None):
    headers = {"X-HubSpot-Request-Timestamp": str(ts),
               "X-HubSpot-Signature-v3": signature if signature is not None else _sign(body, ts)}
    return client.post("/hubspot/webhooks", data=body, headers=headers, content_type="application/json")


def _events(*ids: int) -> str:
    return json.dumps([{"eventId": i, "subscriptionType": "contact.propertyChange", "objectId": 1000 + i,
                        "occurredAt": NOW_MS} for i in ids])


@pytest.fixture
def setup():
    inbox = WebhookInbox(remember=3)
    app = create_webhook_app(inbox, client_secret=SECRET, public_url=URL, now_ms=lambda: NOW_MS)
    return inbox, Client(app)


@pytest.mark.parametrize("case, status", [
    ("valid", 200), ("tampered body", 401), ("wrong secret", 401), ("stale", 401),
    ("missing signature", 401), ("not a list", 400),
])
def test_signature_cases(setup, case, status):
    inbox, client = setup
    body = _events(1)
    if case == "valid":
        response = _post(client, body)
    elif case == "tampered body":
        response = _post(client, _events(2), signature=_sign(body, NOW_MS))
    elif case == "wrong secret":
        response = _post(client, body, signature=_sign(body, NOW_MS, secret="other"))
    elif case == "stale":
        old = NOW_MS - 5 * 60 * 1000 - 1
        response = _post(client, body, ts=old, signature=_sign(body, old))
    elif case == "missing signature":
        response = _post(client, body, signature="")
    else:
        response = _post(client, json.dumps({"eventId": 1}))
    assert response.status_code == status
    assert inbox.drain() == (["1001"] if status == 200 else [])


def test_replayed_events_are_rejected_and_memory_is_bounded(setup):
    inbox, client = setup
    assert _post(client, _events(1, 2)).json == {"accepted": 2, "replayed": 0}
    assert _post(client, _events(2, 3)).json == {"accepted": 1, "replayed": 1}
    assert inbox.drain() == ["1001", "1002", "1003"]
    _post(client, _events(4, 5))  # remembers 3 ids: 1 and 2 are forgotten
    assert _post(client, _events(5)).json["replayed"] == 1
    assert _post(client, _events(1)).json["accepted"] == 1


def test_the_next_pull_reads_webhook_named_contacts_first(portal):
    inbox = WebhookInbox()
    connector = portal.connector()
    portal.cycle(connector)
    portal.tick(minutes=15)
    connector.inbox = inbox
    inbox.accept("e1", ["1003"])
    portal.state.gdpr_delete("1003")
    batches = portal.cycle(connector)
    assert batches[0].deleted == ["1003"]
    assert inbox.drain() == []


def test_ids_survive_a_pull_that_fails_before_reading_them(portal):
    inbox = WebhookInbox()
    connector = portal.connector(token="wrong")
    connector.inbox = inbox
    inbox.accept("e1", ["1003"])
    with pytest.raises(Exception, match="401"):
        list(connector.pull({}, properties=[], now=portal.clock.now()))
    assert inbox.drain() == ["1003"]
