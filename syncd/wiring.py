"""Build the real connectors from validated settings (used only by the composition root)."""

from __future__ import annotations

from datetime import timedelta

from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
from connectors.hubspot.webhooks import WebhookInbox
from connectors.salesforce import SalesforceGateway
from connectors.salesforce.wiring import gateway_from_settings
from syncd.config import Settings

__all__ = ["build_hubspot", "build_salesforce"]


def build_hubspot(settings: Settings) -> HubSpotConnector:
    hs = settings.config.hubspot
    inbox = WebhookInbox() if hs.webhooks.enabled else None
    return HubSpotConnector(HubSpotClientSettings(
        base_url=str(hs.base_url).rstrip("/"), token=settings.secrets.hubspot_token,
        read_timeout=hs.timeout_seconds, rate_limit_per_10s=hs.rate_limit_per_10s,
        daily_limit=hs.daily_limit, daily_budget_share=hs.daily_budget_share,
        search_per_second=hs.search_per_second, overlap=timedelta(minutes=hs.overlap_minutes),
        late_window=timedelta(hours=hs.late_window_hours),
        late_sweep_every=timedelta(minutes=hs.late_sweep_every_minutes),
        deletion_scan_every=timedelta(minutes=hs.deletion_scan_every_minutes),
        hand_raise_forms=tuple(sorted(settings.scoring.hand_raise_forms))), inbox=inbox)


def build_salesforce(settings: Settings) -> SalesforceGateway:
    return gateway_from_settings(settings)
