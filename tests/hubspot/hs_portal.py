"""An emulated portal served over real HTTP, and a connector pointed at it (test helpers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
from connectors.hubspot.expected import audit
from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState, create_app
from syncd_sandbox.server import serve
from syncd.clock import FixedClock

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TOKEN = "sandbox-hubspot-token"
FORM = "f0000000-0000-4000-8000-000000000001"


def iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def small_seed(contacts: int = 20, *, at: datetime = NOW - timedelta(days=3)) -> dict:
    """Contacts 1001.. with one second between their modification times, and one form."""
    rows = []
    for i in range(contacts):
        when = iso(at + timedelta(seconds=i))
        rows.append({"id": str(1001 + i), "createdAt": when, "updatedAt": when, "archived": False,
                     "properties": {"email": f"p{i}@example.com", "firstname": f"P{i}",
                                    "createdate": when, "lastmodifieddate": when}})
    form = {"id": FORM, "name": "Demo request", "formType": "hubspot", "createdAt": iso(at),
            "updatedAt": iso(at), "archived": False}
    return {"portal_id": 4000123, "contacts": rows, "forms": [form]}


@dataclass
class Portal:
    """A running emulator with its state, clock and settings; builds connectors for it."""

    state: HubSpotState
    clock: FixedClock
    limits: HubSpotSettings
    url: str
    emitted: list[str] = field(default_factory=list)
    cursors: dict[str, Any] = field(default_factory=dict)

    def connector(self, **overrides: Any) -> HubSpotConnector:
        values = {"base_url": self.url, "token": TOKEN, "rate_limit_per_10s": None,
                  "search_per_second": None, "daily_limit": None, **overrides}
        return HubSpotConnector(HubSpotClientSettings(**values), sleep=lambda s: None)

    def cycle(self, connector: HubSpotConnector, *, properties: tuple[str, ...] = ("firstname",),
              **kw: Any) -> list:
        """One pull; remembers emitted event ids and cursors like the state store would."""
        batches = list(connector.pull(self.cursors, properties=properties, now=self.clock.now(), **kw))
        for batch in batches:
            self.emitted += [e.id for e in batch.events]
            self.cursors.update(batch.cursors)
        return batches

    def audit(self) -> dict[str, int]:
        return audit(self.emitted, self.state.dump())

    def tick(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


def start_portal(seed: dict, **limits: Any) -> tuple[Portal, Any]:
    clock = FixedClock(NOW)
    state = HubSpotState.from_seed(seed, clock=clock)
    settings = HubSpotSettings(**{"rate_limit_per_10s": None, "daily_limit": None,
                                  "search_per_second": None, **limits})
    served = serve(create_app(state, settings))
    return Portal(state=state, clock=clock, limits=settings, url=served.url), served


