"""Optional near-real-time trigger: a receiver for HubSpot webhooks (signature v3).

Verified, non-replayed events put the contact ids they name into a ``WebhookInbox``;
the next ``HubSpotConnector.pull`` reads those contacts first (deleted or merged ones
come back as ``deleted`` / ``merges``). Off unless the composition root mounts the app.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from hubspot.utils.signature import Signature
from werkzeug.wrappers import Request, Response

__all__ = ["WebhookInbox", "create_webhook_app", "verify_signature"]

MAX_AGE_MS = 5 * 60 * 1000


def verify_signature(*, client_secret: str, method: str, uri: str, body: str, timestamp: str | None,
                     signature: str | None, now_ms: int) -> str | None:
    """``None`` when the request is authentic and fresh, else the reason it is not."""
    if not signature or not timestamp:
        return "missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp"
    if not timestamp.isdigit():
        return "X-HubSpot-Request-Timestamp is not epoch milliseconds"
    if abs(now_ms - int(timestamp)) > MAX_AGE_MS:
        return "request timestamp is more than 5 minutes away from now (stale or replayed)"
    expected = Signature.get_signature(client_secret, body, "v3", uri, method, timestamp)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return "signature does not match (wrong client secret or altered request)"
    return None


class WebhookInbox:
    """Contact ids named by webhooks, in arrival order, plus bounded replay protection."""

    def __init__(self, *, remember: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._ids: dict[str, None] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._remember = remember

    def accept(self, event_id: str, contact_ids: list[str]) -> bool:
        """Queue the ids of one event; ``False`` if this event id was already accepted."""
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            while len(self._seen) > self._remember:
                self._seen.popitem(last=False)
            for cid in contact_ids:
                self._ids[cid] = None
            return True

    def requeue(self, contact_ids: list[str]) -> None:
        """Put ids back (a pull that read them failed before finishing)."""
        with self._lock:
            self._ids = {**dict.fromkeys(contact_ids), **self._ids}

    def __len__(self) -> int:
        """How many contact ids wait for the next pull."""
        with self._lock:
            return len(self._ids)

    def drain(self) -> list[str]:
        """Every queued contact id (once), emptying the queue."""
        with self._lock:
            ids, self._ids = list(self._ids), {}
            return ids


def _contact_ids(event: dict) -> list[str]:
    if not str(event.get("subscriptionType", "contact.")).startswith("contact."):
        return []
    ids = [event.get("objectId"), *(event.get("mergedObjectIds") or []), event.get("primaryObjectId")]
    return [str(i) for i in ids if i not in (None, "")]


def create_webhook_app(inbox: WebhookInbox, *, client_secret: str, public_url: str | None = None,
                       now_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> Callable:
    """A WSGI app for the webhook target URL; ``public_url`` is the URL HubSpot calls
    (set it behind a proxy, where the request URL seen here differs)."""
    def app(environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        if request.method != "POST":
            return _reply(405, {"error": "use POST"})(environ, start_response)
        body = request.get_data(as_text=True)
        uri = public_url + (f"?{request.query_string.decode()}" if request.query_string else "") \
            if public_url else request.url
        problem = verify_signature(client_secret=client_secret, method="POST", uri=uri, body=body,
                                   timestamp=request.headers.get("X-HubSpot-Request-Timestamp"),
                                   signature=request.headers.get("X-HubSpot-Signature-v3"),
                                   now_ms=now_ms())
        if problem:
            return _reply(401, {"error": problem})(environ, start_response)
        try:
            events = json.loads(body)
            assert isinstance(events, list) and all(isinstance(e, dict) and e.get("eventId") is not None
                                                    for e in events)
        except (ValueError, AssertionError):
            return _reply(400, {"error": "body must be a JSON array of webhook events, each with "
                                         "an eventId"})(environ, start_response)
        accepted = sum(inbox.accept(str(e.get("eventId")), _contact_ids(e)) for e in events)
        return _reply(200, {"accepted": accepted, "replayed": len(events) - accepted})(environ, start_response)
    return app


def _reply(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
