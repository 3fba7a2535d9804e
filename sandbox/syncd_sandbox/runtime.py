"""The whole sandbox in one process: seeded world, both emulators, faults, accounting, admin.

    with Sandbox.start(seed=7, contacts=200, workdir=Path("/tmp/sbx")) as sandbox:
        print(sandbox.endpoints.to_json())   # URLs, credentials, CA bundle, admin URL

HubSpot is served over http, Salesforce over https (a throwaway CA whose PEM file is
``endpoints.ca_bundle``; simple-salesforce only speaks https), the admin API over http.
Every call passes call accounting, then fault injection, then the request log, then the
emulator. The hooks for tests and checks (clock, sales' actions, request logs) are in
``runtime_hooks``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from syncd_sandbox.accounting import CallAccounting
from syncd_sandbox.admin import create_admin_app
from syncd_sandbox.faults import KNOBS, FaultInjector, FaultPlan, check_knob, parse_faults
from syncd_sandbox.requestlog import RequestLog
from syncd_sandbox.runtime_hooks import SandboxHooks
from syncd_sandbox.server import LocalCA, ServedApp, serve
from syncd.clock import Clock

__all__ = ["Endpoints", "RunningClock", "Sandbox"]


@dataclass(frozen=True, kw_only=True)
class Endpoints:
    """Everything a client needs to reach a running sandbox."""

    hubspot_url: str
    hubspot_token: str
    salesforce_url: str
    salesforce_client_id: str
    salesforce_client_secret: str
    ca_bundle: str
    admin_url: str

    def to_json(self) -> str:
        """One line of JSON, keys sorted."""
        return json.dumps(asdict(self), sort_keys=True)


class RunningClock:
    """Stands still at ``start`` until ``run()``, then moves forward with real time.

    Loading the seed happens before ``run()``, so every timestamp it stamps is ``start``
    exactly and the same seed loads into byte-identical state.
    """

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0: float | None = None
        self._offset = timedelta(0)

    def run(self) -> None:
        if self._t0 is None:
            self._t0 = time.monotonic()

    def now(self) -> datetime:
        if self._t0 is None:
            return self._start + self._offset
        return self._start + self._offset + timedelta(seconds=time.monotonic() - self._t0)

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta`` (and keep running from there)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._offset += delta


class Sandbox(SandboxHooks):
    """A running sandbox; build it with ``Sandbox.start``. Usable as a context manager."""

    def __init__(self, *, world, seed: int, clock: Clock, hubspot_state, salesforce_state,
                 hubspot_settings, salesforce_settings, faults: FaultInjector,
                 accounting: CallAccounting) -> None:
        self.world, self.seed, self.clock = world, seed, clock
        self.hubspot_state, self.salesforce_state = hubspot_state, salesforce_state
        self.hubspot_settings, self.salesforce_settings = hubspot_settings, salesforce_settings
        self.faults, self.accounting = faults, accounting
        self.endpoints: Endpoints | None = None
        self.hubspot_recorder = None
        self.request_logs: dict[str, RequestLog] = {}
        self._servers: list[ServedApp] = []
        self._drift_lock = threading.Lock()
        self._next_step = 0

    @classmethod
    def start(cls, *, seed: int = 0, contacts: int = 200, activity: float = 1.0, faults: str | FaultPlan | None = None,
              workdir: Path, now: datetime | None = None, clock: Clock | None = None,
              hubspot_port: int = 0, salesforce_port: int = 0, admin_port: int = 0,
              record_hubspot: bool = False) -> Sandbox:
        """Build the world for ``seed``/``contacts``/``activity`` as of ``now`` (default: the current
        time), load both emulators and serve them; ports 0 mean free ports.

        ``faults`` is a spec string (see ``faults``) or a ``FaultPlan``. ``clock`` drives
        the emulators (default: a ``RunningClock`` at ``now``; pass a ``FixedClock`` for
        simulations that move time themselves). The CA bundle and ``offline/`` files are
        written under ``workdir``. ``record_hubspot`` keeps every HubSpot exchange in
        ``hubspot_recorder`` for checking against HubSpot's OpenAPI documents."""
        from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState
        from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState
        from syncd_sandbox.world import build_world

        plan = parse_faults(faults) if isinstance(faults, str) else faults or FaultPlan()
        now = now or datetime.now(UTC)
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware (e.g. 2026-01-05T09:00:00+00:00)")
        clock = clock or RunningClock(now)
        world = build_world(seed, contacts, now=now, activity=activity)
        hs = HubSpotSettings()
        sf_state = SalesforceState.from_seed(world.salesforce, clock=clock.now)
        faults_ = FaultInjector(
            hubspot_limits=lambda: (hs.rate_limit_per_10s or 190, hs.daily_limit or 1_000_000),
            expire_sessions=sf_state.expire_sessions)
        sandbox = cls(world=world, seed=seed, clock=clock,
                      hubspot_state=HubSpotState.from_seed(world.hubspot, clock=clock.now),
                      salesforce_state=sf_state, hubspot_settings=hs,
                      salesforce_settings=SalesforceSettings(seed=seed), faults=faults_,
                      accounting=CallAccounting(clock=clock))
        sandbox.apply_plan(plan)
        sandbox._write_offline_files(Path(workdir))
        if isinstance(clock, RunningClock):
            clock.run()
        try:
            sandbox._serve(Path(workdir), hubspot_port, salesforce_port, admin_port,
                           record_hubspot=record_hubspot)
        except BaseException:
            sandbox.stop()
            raise
        return sandbox

    def _serve(self, workdir: Path, hubspot_port: int, salesforce_port: int,
               admin_port: int, *, record_hubspot: bool = False) -> None:
        from syncd_sandbox.hubspot import create_app as hubspot_app
        from syncd_sandbox.salesforce import create_app as salesforce_app

        ca = LocalCA(workdir)
        hubspot_wsgi = hubspot_app(self.hubspot_state, self.hubspot_settings)
        if record_hubspot:
            from syncd_sandbox.hubspot.contract import Recorder

            self.hubspot_recorder = hubspot_wsgi = Recorder(hubspot_wsgi)
        hubspot = self._served("hubspot", hubspot_wsgi, hubspot_port, None)
        salesforce = self._served("salesforce", salesforce_app(self.salesforce_state,
                                                               self.salesforce_settings),
                                  salesforce_port, ca)
        admin = serve(create_admin_app(self), port=admin_port)
        self._servers.append(admin)
        s = self.salesforce_settings
        self.endpoints = Endpoints(
            hubspot_url=hubspot.url, hubspot_token=self.hubspot_settings.token,
            salesforce_url=salesforce.url, salesforce_client_id=s.client_id,
            salesforce_client_secret=s.client_secret, ca_bundle=str(ca.ca_file),
            admin_url=admin.url)

    def _served(self, system: str, app, port: int, tls: LocalCA | None) -> ServedApp:
        logged = self.request_logs[system] = RequestLog(app, clock=self.clock.now)
        served = serve(self.accounting.wrap(system, self.faults.wrap(system, logged)), port=port,
                       tls=tls)
        self._servers.append(served)
        return served

    def _write_offline_files(self, workdir: Path) -> None:
        offline = workdir / "offline"
        offline.mkdir(parents=True, exist_ok=True)
        for name, content in sorted(self.world.offline_files.items()):
            (offline / name).write_bytes(content)

    # -- control (also what the admin API drives) ------------------------------------------

    def apply_plan(self, plan: FaultPlan) -> None:
        """Install a fault plan: its rules, and its settings on the emulators."""
        for system, name, value in plan.settings:
            setattr(self._settings(system), name, value)
        self.faults.replace(plan)

    def update_settings(self, system: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Validate every change first, then apply them all; returns the system's knobs."""
        typed = {name: check_knob(system, name, value, name) for name, value in changes.items()}
        target = self._settings(system)
        for name, value in typed.items():
            setattr(target, name, value)
        return {name: getattr(target, name) for name in KNOBS[system]}

    def _settings(self, system: str):
        return self.hubspot_settings if system == "hubspot" else self.salesforce_settings

    def expire_sessions(self) -> None:
        """Invalidate every Salesforce session (clients must log in again)."""
        self.salesforce_state.expire_sessions()

    def drift(self, step: int | None = None) -> dict[str, Any]:
        """Apply one drift step (default: the next, starting at 0) to both systems, as of
        the sandbox clock; returns the world's summary of what changed."""
        from syncd_sandbox.world import drift

        with self._drift_lock:
            step = self._next_step if step is None else step
            summary = drift(self.hubspot_state, self.salesforce_state, seed=self.seed, step=step,
                            now=self.clock.now())
            self._next_step = step + 1
            return summary

    def stats(self) -> dict[str, Any]:
        """Calls per system and endpoint since the start or the last reset."""
        return self.accounting.snapshot()

    def reset_stats(self) -> None:
        self.accounting.reset()

    def dump(self) -> dict[str, Any]:
        """The full state of both systems."""
        return {"hubspot": self.hubspot_state.dump(), "salesforce": self.salesforce_state.dump()}

    def health(self) -> dict[str, Any]:
        return {"status": "ok", "seed": self.seed, "next_drift_step": self._next_step,
                "endpoints": asdict(self.endpoints) if self.endpoints else None}

    def stop(self) -> None:
        """Release held calls and shut every server down; safe to call twice."""
        self.faults.close()
        while self._servers:
            self._servers.pop().shutdown()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
