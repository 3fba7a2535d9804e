"""The composition root: the one place that builds real dependencies from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import structlog

from syncd.clock import Clock, SystemClock
from syncd.config import Settings, load_settings
from syncd.ports import CrmGateway, HubSpotSource, StateStore, WebhookQueue
from syncd.store import open_store
from syncd.sync.cycle import CycleDeps
from syncd.sync.rules import SyncRules

__all__ = ["App", "open_app", "resolve_path", "state_url"]


def resolve_path(settings: Settings, path: Path) -> Path:
    """Relative paths in config.toml are relative to the config file, not the working dir."""
    return path if path.is_absolute() else (settings.config_path.parent / path).resolve()


def state_url(settings: Settings) -> str:
    url = settings.config.state.url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return f"sqlite:///{resolve_path(settings, Path(url.removeprefix('sqlite:///')))}"
    return url


@dataclass
class App:
    settings: Settings
    store: StateStore
    hubspot: HubSpotSource
    salesforce: CrmGateway
    clock: Clock
    log: structlog.typing.FilteringBoundLogger
    webhooks: WebhookQueue | None = None

    @property
    def rules(self) -> SyncRules:
        """What the core is configured with: the field mapping and the scoring model."""
        return SyncRules(mapping=self.settings.fields, model=self.settings.scoring, routing=self.settings.routing)

    @property
    def config(self):
        return self.settings.config

    def deps(self) -> CycleDeps:
        every = timedelta(minutes=self.config.salesforce.feed_every_minutes)
        return CycleDeps.standard(hubspot=self.hubspot, crm=self.salesforce, store=self.store,
                                  clock=self.clock, rules=self.rules, mirror_every=every)

    def close(self) -> None:
        self.store.close()


def open_app(config_path: Path, *, clock: Clock | None = None) -> App:
    """Load settings, open the state store and build both connectors (no network yet)."""
    from syncd.wiring import build_hubspot, build_salesforce, build_webhook_queue

    settings = load_settings(Path(config_path))
    webhooks = build_webhook_queue(settings)
    return App(settings=settings, store=open_store(state_url(settings)),
               hubspot=build_hubspot(settings, inbox=webhooks), salesforce=build_salesforce(settings),
               clock=clock or SystemClock(), log=structlog.get_logger("syncd"), webhooks=webhooks)
