"""The crash-and-fault harness: syncd as real processes against the sandbox.

A scenario is a seeded sandbox and a number of phases (the first sync, then one drift step
before each further phase). A run converges every phase by starting ``syncd once`` until a
cycle completes with nothing pending, while the harness

- kills it with SIGKILL at random moments, or right after the sandbox has sent the k-th
  Salesforce write response (so before syncd can commit what it learnt), or after the k-th
  HubSpot response;
- injects faults through the sandbox's fault plan (storms of 429 / 5xx / timeouts, lock
  errors, expiring sessions) and spends both daily limits mid-run.

``run_scenario`` returns the end state and the counters; ``endstate.compare`` checks it
against a clean run of the same scenario. Used by ``tests/reliability`` (the short version)
and ``bench/bench_reliability.py`` (the long one).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd_sandbox.faults import parse_faults
from syncd_sandbox.runtime import Sandbox

from .endstate import EndState, end_state

__all__ = ["KillableSandbox", "RunReport", "Scenario", "run_scenario"]

SF_WRITES = ("PATCH", "POST", "PUT", "DELETE")
WORLD_NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
"""Every run in this process builds its world as of the same instant, so the same seed
gives the same records and timestamps in a clean and in a faulty run."""


class KillableSandbox(Sandbox):
    """The sandbox, able to SIGKILL a process right after sending it a chosen response."""

    armed: tuple[str, int, int] | None = None  # (system, k-th response, pid)
    lock = threading.Lock()
    seen = 0
    killed = False

    def arm(self, system: str, k: int, pid: int) -> None:
        with self.lock:
            self.armed, self.seen, self.killed = (system, k, pid), 0, False

    def disarm(self) -> None:
        with self.lock:
            self.armed = None

    def _served(self, system, app, port, tls):
        return super()._served(system, self._killer(system, app), port, tls)

    def _killer(self, system: str, app):
        def middleware(environ, start_response):
            body = app(environ, start_response)
            if self._counts(system, environ):
                return _AfterSent(body, self._fire)
            return body
        return middleware

    def _counts(self, system: str, environ: dict) -> bool:
        with self.lock:
            if self.armed is None or self.armed[0] != system:
                return False
            if system == "salesforce" and (environ["REQUEST_METHOD"] not in SF_WRITES
                                           or "oauth2" in environ.get("PATH_INFO", "")):
                return False
            self.seen += 1
            return self.seen == self.armed[1]

    def _fire(self) -> None:
        with self.lock:
            armed, self.armed = self.armed, None
        if armed is not None:
            try:
                os.kill(armed[2], signal.SIGKILL)
                self.killed = True
            except ProcessLookupError:
                pass


class _AfterSent:
    """A WSGI body whose ``close()`` (called once it is sent) runs ``then``."""

    def __init__(self, body, then: Callable[[], None]) -> None:
        self.body, self.then = body, then

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.then()


@dataclass(frozen=True)
class Scenario:
    seed: int = 5
    contacts: int = 60
    phases: int = 3
    faults: str = ""                 # sandbox fault spec while the run converges
    kills: int = 0                   # SIGKILLs to deliver over the run
    limits_in_phase: int | None = None  # spend both daily limits during this phase
    max_attempts: int = 40           # `syncd once` runs per phase before giving up


@dataclass
class RunReport:
    runs: int = 0
    kills: int = 0
    kill_points: dict[str, int] = field(default_factory=dict)
    cycles_ok: int = 0
    cycles_ended_early: int = 0
    rows_retried: int = 0
    call_retries: int = 0
    tracebacks: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    end: EndState | None = None
    converged: bool = True


def _config(sandbox: Sandbox, workdir: Path, state_url: str | None) -> Path:
    path = write_sandbox_config(sandbox.endpoints, workdir, mappings=DEFAULT_MAPPINGS,
                                state_url=state_url)
    path.write_text(path.read_text().replace("interval_minutes = 1", "interval_minutes = 0.05"))
    return path


def syncd(args: list[str], log: Path, **popen) -> subprocess.Popen:
    """Start ``syncd`` as its own process, its output into ``log``."""
    out = log.open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SYNCD_CRASH_DIR": str(log.parent / "crashes")}
    return subprocess.Popen([sys.executable, "-m", "syncd.cli", *args], stdout=out,
                            stderr=subprocess.STDOUT, env=env, **popen)


class _Runner:
    def __init__(self, sandbox: KillableSandbox, config: Path, workdir: Path, scenario: Scenario,
                 rng: random.Random) -> None:
        self.sandbox, self.config, self.workdir, self.s, self.rng = sandbox, config, workdir, scenario, rng
        self.report = RunReport()
        self.kills_left = scenario.kills
        self.quota = 0  # kills still owed in this phase
        self.duration = 2.0  # seconds a `syncd once` took last time it was not killed
        self.settled = False  # the phase has converged once already

    def start_phase(self, phases_left: int) -> None:
        self.quota = -(-self.kills_left // phases_left)
        self.settled = False

    def _kill_plan(self) -> tuple[str, float | int] | None:
        if self.quota <= 0:
            return None
        if self.report.kills == 0 and not self.settled:
            return "salesforce", 1  # first: right after Salesforce answered the first write
        modes = ("time",) if self.settled else ("time", "time", "time", "salesforce", "salesforce", "hubspot")
        mode = self.rng.choice(modes)
        if mode == "time":  # somewhere in the process's life, start-up included
            return mode, self.rng.uniform(0.3, 0.95 * self.duration)
        return mode, self.rng.randint(1, 2 if mode == "salesforce" else 12)

    def once(self) -> tuple[int | None, dict | None]:
        """One ``syncd once``: its exit code (None if killed) and its summary."""
        n = self.report.runs = self.report.runs + 1
        log, summary = self.workdir / f"once-{n}.log", self.workdir / f"once-{n}.json"
        plan = self._kill_plan()
        started = time.monotonic()
        proc = syncd(["once", "--config", str(self.config), "--summary-json", str(summary)], log)
        killed = False
        if plan and plan[0] != "time":
            self.sandbox.arm(plan[0], int(plan[1]), proc.pid)
        try:
            if plan and plan[0] == "time":
                try:
                    proc.wait(timeout=plan[1])
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    killed = True
            code = proc.wait(timeout=600)
        finally:
            self.sandbox.disarm()
        killed = killed or (plan is not None and plan[0] != "time" and self.sandbox.killed)
        if not killed and code == 0:
            self.duration = time.monotonic() - started
        self._scan(log)
        if killed or code == -signal.SIGKILL:
            self.kills_left -= 1
            self.quota -= 1
            self.report.kills += 1
            self.report.kill_points[plan[0] if plan else "?"] = self.report.kill_points.get(
                plan[0] if plan else "?", 0) + 1
            return None, None
        data = json.loads(summary.read_text()) if code == 0 and summary.exists() else None
        return code, data

    def _scan(self, log: Path) -> None:
        text = log.read_text(errors="replace")
        self.report.tracebacks += text.count("Traceback (most recent call last)")
        for line in text.splitlines():
            if not line.startswith("{"):
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "salesforce.retry" and event.get("retrying") == "rows":
                self.report.rows_retried += int(event.get("rows") or 0)
            elif event.get("event") in ("salesforce.retry", "hubspot.retry"):
                self.report.call_retries += 1
            elif event.get("event") == "cycle.budget_exhausted":
                self.report.cycles_ended_early += 1

    def converge(self, engine: sa.Engine) -> bool:
        for _ in range(self.s.max_attempts):
            code, summary = self.once()
            if code != 0 or summary is None:
                continue
            self.report.cycles_ok += 1
            if summary.get("retrying", 0) == 0 and _pending(engine) == 0:
                self.settled = True
                if self.quota <= 0:
                    return True
        return False


def _pending(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM contacts WHERE pending AND NOT archived AND merged_into IS NULL")).scalar_one()


def _spend_limits(sandbox: Sandbox, rng: random.Random) -> None:
    """Both daily limits run out a few calls into the phase."""
    used = sandbox.stats()["systems"].get("hubspot", {}).get("calls", 0)
    sandbox.hubspot_settings.daily_limit = used + rng.randint(3, 8)
    sandbox.salesforce_settings.daily_api_limit = sandbox.salesforce_state.api_calls_today + rng.randint(2, 6)


def _next_day(sandbox: Sandbox) -> None:
    sandbox.hubspot_settings.daily_limit = 1_000_000
    sandbox.salesforce_settings.daily_api_limit = 1_000_000


def run_scenario(scenario: Scenario, workdir: Path, *, rng_seed: int = 0,
                 state_url: str | None = None) -> RunReport:
    """Run ``scenario`` to convergence (with its kills and faults); return the report."""
    rng = random.Random(rng_seed)
    workdir.mkdir(parents=True, exist_ok=True)
    with KillableSandbox.start(seed=scenario.seed, contacts=scenario.contacts, now=WORLD_NOW,
                               workdir=workdir / "sandbox") as sandbox:
        config = _config(sandbox, workdir / "syncd", state_url)
        url = state_url or f"sqlite:///{workdir / 'syncd' / 'state.db'}"
        runner = _Runner(sandbox, config, workdir / "syncd", scenario, rng)
        engine = _engine(url)
        try:
            for phase in range(scenario.phases):
                runner.start_phase(scenario.phases - phase)
                if phase:
                    sandbox.drift(phase - 1)
                if scenario.faults:
                    sandbox.apply_plan(parse_faults(f"{scenario.faults};seed={rng_seed * 100 + phase}"))
                if scenario.limits_in_phase == phase:
                    _spend_limits(sandbox, rng)
                    runner.once()
                    _next_day(sandbox)
                converged = runner.converge(engine)
                sandbox.apply_plan(parse_faults(""))
                if not converged:  # what a storm left, a calm cycle must finish
                    converged = runner.converge(engine)
                runner.report.converged &= converged
            runner.report.calls = {name: counter.get("calls", 0) for name, counter
                                   in sandbox.stats()["systems"].items()}
            runner.report.end = end_state(sandbox.dump(), engine)
        finally:
            engine.dispose()
    return runner.report


def _engine(url: str) -> sa.Engine:
    from syncd.store.engine import create_engine

    return create_engine(url)


@dataclass
class DaemonsReport:
    """Two ``syncd run`` on one state store: who worked, who was refused, the end state."""

    exit_codes: list[int | None] = field(default_factory=list)
    cycles: list[int] = field(default_factory=list)     # completed cycles per daemon
    refusals: list[str] = field(default_factory=list)   # what a refused daemon printed
    seconds_to_refuse: float | None = None
    tracebacks: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    end: EndState | None = None


def _events(log: Path) -> list[dict]:
    out = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)  # watching other processes
    return False


def run_two_daemons(scenario: Scenario, workdir: Path, *, apart: float,
                    state_url: str | None = None) -> DaemonsReport:
    """Start two daemons ``apart`` seconds apart on one store; converge every phase (one
    drift step between phases); stop both; report."""
    workdir.mkdir(parents=True, exist_ok=True)
    report = DaemonsReport()
    with KillableSandbox.start(seed=scenario.seed, contacts=scenario.contacts, now=WORLD_NOW,
                               workdir=workdir / "sandbox") as sandbox:
        config = _config(sandbox, workdir / "syncd", state_url)
        engine = _engine(state_url or f"sqlite:///{workdir / 'syncd' / 'state.db'}")
        logs = [workdir / "syncd" / f"daemon-{i}.log" for i in (1, 2)]
        procs = [syncd(["run", "--config", str(config)], logs[0])]
        time.sleep(apart)  # the scenario: the second one starts this much later
        started = time.monotonic()
        procs.append(syncd(["run", "--config", str(config)], logs[1]))
        try:
            sqlite = (state_url or "sqlite").startswith("sqlite")
            if sqlite and _wait(lambda: any(p.poll() is not None for p in procs), timeout=15):
                report.seconds_to_refuse = round(time.monotonic() - started, 1)  # whichever lost
            for phase in range(scenario.phases):
                if phase:
                    sandbox.drift(phase - 1)
                marker = sum(_completed(log) for log in logs)
                _wait(lambda: sum(_completed(log) for log in logs) > marker
                      and _pending_or_none(engine) == 0, timeout=120)
            report.calls = {name: c.get("calls", 0) for name, c in sandbox.stats()["systems"].items()}
            report.end = end_state(sandbox.dump(), engine)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    report.exit_codes.append(proc.wait(timeout=60))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    report.exit_codes.append(None)
            engine.dispose()
    for log in logs:
        text = log.read_text(errors="replace")
        report.tracebacks += text.count("Traceback (most recent call last)")
        report.cycles.append(_completed(log))
        report.refusals += [line for line in text.splitlines() if line.startswith("syncd: ")]
    return report


def _completed(log: Path) -> int:
    return sum(1 for e in _events(log) if e.get("event") == "cycle.completed")


def _pending_or_none(engine: sa.Engine) -> int | None:
    try:
        return _pending(engine)
    except sa.exc.SQLAlchemyError:  # not migrated yet
        return None
