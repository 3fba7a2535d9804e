"""The composition root: the one place that builds real dependencies from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog

from syncd.clock import Clock, SystemClock
from syncd.config import Settings, load_settings
from syncd.pacing import Pacer
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
    if settings.secrets.state_password and url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        with_password = make_url(url).set(password=settings.secrets.state_password)
        return with_password.render_as_string(hide_password=False)
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
    pacer: Pacer = field(default_factory=Pacer)  # every wait of both connectors
    _directory: Any = field(default=None, repr=False)  # who is who, kept across cycles (an hour)

    @property
    def rules(self) -> SyncRules:
        """What the core is configured with: the field mapping and the scoring model."""
        from syncd.sync import rules

        return SyncRules(mapping=self.settings.fields, model=self.settings.scoring, routing=self.settings.routing,
                         chunk_size=rules.CHUNK)

    @property
    def config(self):
        return self.settings.config

    def deps(self) -> CycleDeps:
        from syncd.sync.directory import DirectoryLoader

        every = timedelta(minutes=self.config.salesforce.feed_every_minutes)
        if self._directory is None:
            self._directory = DirectoryLoader(self.salesforce, self.hubspot)
        return CycleDeps.standard(hubspot=self.hubspot, crm=self.salesforce, store=self.store,
                                  clock=self.clock, rules=self.rules, mirror_every=every,
                                  directory=self._directory, read_ahead=self.config.hubspot.read_ahead_pages)

    def close(self) -> None:
        self.store.close()


def open_app(config_path: Path, *, clock: Clock | None = None, standby: bool = False,
             writer: bool = True) -> App:
    """Load settings, open the state store and build both connectors (no network yet).

    ``standby``: on PostgreSQL, open without taking the writer lease (a daemon replica's
    leader job takes it when it is free); SQLite is always opened as its one writer.
    ``writer=False``: a command that only reads (status, explain, check-config) opens
    beside the writer and may not commit."""
    from syncd.wiring import build_hubspot, build_salesforce, build_webhook_queue

    settings = load_settings(Path(config_path))
    url = state_url(settings)
    writer = writer and not (standby and url.startswith("postgresql"))
    store = open_store(url, writer=writer, ttl_seconds=settings.config.state.lease_ttl_seconds)
    pacer = Pacer()
    webhooks = build_webhook_queue(settings)
    return App(settings=settings, store=store,
               hubspot=build_hubspot(settings, inbox=webhooks, sleep=pacer,
                                     stored_emails=store.contact_ids_by_email),
               salesforce=build_salesforce(settings, sleep=pacer),
               clock=clock or SystemClock(), log=structlog.get_logger("syncd"), webhooks=webhooks, pacer=pacer)
