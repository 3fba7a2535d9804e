"""Build the real connectors from validated settings (used only by the composition root)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
from connectors.hubspot.webhooks import WebhookInbox
from connectors.salesforce import SalesforceGateway
from connectors.salesforce.wiring import gateway_from_settings
from syncd.config import Settings
from syncd.errors import SyncdError

__all__ = ["SandboxMissing", "build_hubspot", "build_salesforce", "build_webhook_queue", "sandbox_runtime",
           "serve_webhooks", "serve_wsgi"]


def build_webhook_queue(settings: Settings) -> WebhookInbox | None:
    """The queue HubSpot's webhooks fill, when they are enabled."""
    return WebhookInbox() if settings.config.hubspot.webhooks.enabled else None


def build_hubspot(settings: Settings, *, inbox: WebhookInbox | None = None,
                  sleep: Callable[[float], None] = time.sleep,
                  stored_emails: Callable[[Sequence[str]], Mapping[str, str]] | None = None) -> HubSpotConnector:
    """``stored_emails``: the state store's contacts by primary e-mail, asked before HubSpot
    about a recipient the connector has not met in this run."""
    hs = settings.config.hubspot
    return HubSpotConnector(HubSpotClientSettings(
        base_url=str(hs.base_url).rstrip("/"), token=settings.secrets.hubspot_token,
        read_timeout=hs.timeout_seconds, rate_limit_per_10s=hs.rate_limit_per_10s,
        daily_limit=hs.daily_limit, daily_budget_share=hs.daily_budget_share,
        search_per_second=hs.search_per_second, overlap=timedelta(minutes=hs.overlap_minutes),
        late_window=timedelta(hours=hs.late_window_hours),
        late_sweep_every=timedelta(minutes=hs.late_sweep_every_minutes),
        deletion_scan_every=timedelta(minutes=hs.deletion_scan_every_minutes),
        hand_raise_forms=tuple(sorted(settings.scoring.hand_raise_forms)),
        stream_lanes=hs.read_ahead_pages > 0), inbox=inbox,
        sleep=sleep, stored_emails=stored_emails)


def build_salesforce(settings: Settings, *, sleep: Callable[[float], None] | None = None
                     ) -> SalesforceGateway:
    return gateway_from_settings(settings, sleep=sleep)


class SandboxMissing(SyncdError):
    """``syncd demo`` / ``syncd sandbox`` without the sandbox installed."""


def sandbox_runtime():
    """The sandbox's ``(Sandbox, FaultSpecError)``; it is an extra, so say how to get it."""
    try:
        from syncd_sandbox.faults import FaultSpecError
        from syncd_sandbox.runtime import Sandbox
    except ImportError as exc:
        raise SandboxMissing(
            "the sandbox (local HubSpot and Salesforce emulators) is not installed. Install it "
            "with: pip install 'syncd[sandbox]' (from a checkout: pip install '.[sandbox]', or "
            f"run `make demo`). [{exc}]") from None
    return Sandbox, FaultSpecError


def serve_webhooks(inbox, *, client_secret: str | None, public_url: str | None, host: str, port: int):
    """Serve HubSpot's webhook receiver in a thread; returns the server (``.port``, ``.shutdown()``)."""
    from connectors.hubspot.webhooks import create_webhook_app
    from connectors.wsgi import serve

    receiver = create_webhook_app(inbox, client_secret=client_secret, public_url=public_url)
    return serve(receiver, host=host, port=port)


def serve_wsgi(app, *, host: str, port: int):
    """Serve a WSGI application in a thread (the daemon's probes); ``.port``, ``.shutdown()``."""
    from connectors.wsgi import serve

    return serve(app, host=host, port=port)
