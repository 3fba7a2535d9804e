"""What the daemon runs beside its jobs: health, metrics, probes and the writer lease.

A replica on PostgreSQL starts as a standby: its ``leader`` job tries to take the lease
every renewal period, and the moment it does, the sync job is started at once. While it
holds the lease the store's guard renews it in the background; a replica that finds the
lease taken over (a refused commit or renewal) steps down to standby and tries again like
any other. On SQLite the file lock is taken at start-up and held for the process's life.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import update

from syncd.errors import SyncdError
from syncd.ops.health import CycleOutcome, HealthState, unreachable_systems
from syncd.ops.jobs import JobRunner
from syncd.ops.metrics import LeaseView, Metrics, StoreGauges
from syncd.ops.probes import ProbeSources, probe_app
from syncd.report import queries as q
from syncd.store import tables as t

__all__ = ["Operations", "replica_name"]


def replica_name() -> str:
    """``host:pid``: unique per process, readable in logs and in the lease row."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Operations:
    """Health, metrics and leadership of one daemon process."""

    def __init__(self, *, engine, guard, replica: str | None = None,
                 heartbeat_max_age: float = 120.0) -> None:
        self.engine, self.guard = engine, guard
        self.replica = replica or replica_name()
        self.health = HealthState()
        self.metrics = Metrics(replica=self.replica, store=self._store_gauges, lease=self._lease)
        self.runner = JobRunner(gate=self, on_result=self.metrics.observe_job)
        self.log = structlog.get_logger("syncd.ops")
        self._heartbeat_max_age = heartbeat_max_age
        self._server = None
        self._was_leader = guard.held

    def listen_to_logs(self) -> None:
        """Count the retry layer's log events in ``syncd_api_retries_total``."""
        config = structlog.get_config()
        processors = [p for p in config["processors"] if p != self.metrics.retry_listener]
        structlog.configure(processors=[self.metrics.retry_listener, *processors])

    # -- leadership ----------------------------------------------------------------------
    def holds(self) -> bool:
        """Whether this replica may change anything now."""
        return bool(self.guard.held)

    def campaign(self, on_elected: Callable[[], None]) -> None:
        """The ``leader`` job: take the lease when it is free; say when it was lost."""
        if self.guard.held:
            self._was_leader = True
            return
        if self._was_leader:
            self._was_leader = False
            self.log.warning("leader.standby", replica=self.replica, reason="lease lost")
        try:
            elected = self.guard.try_acquire()
        except SyncdError as exc:
            self.log.warning("leader.campaign_failed", error=str(exc))
            return
        except Exception as exc:  # the store being unreachable must not kill the job
            self.log.warning("leader.campaign_failed", error=f"{type(exc).__name__}: {exc}".splitlines()[0])
            return
        if elected:
            self._was_leader = True
            self.log.info("leader.elected", replica=self.replica, epoch=self.guard.epoch)
            self.close_abandoned_runs()
            on_elected()

    def close_abandoned_runs(self) -> int:
        """As the one writer, mark runs still ``running`` as ``abandoned``: the process that
        ran them stopped, crashed or lost the lease, and nothing of theirs is uncommitted."""
        with self.engine.begin() as conn:
            closed = conn.execute(update(t.runs).where(t.runs.c.status == "running").values(
                status="abandoned", finished_at=datetime.now(UTC),
                error="the process running this cycle stopped or lost the writer lease")).rowcount or 0
        if closed:
            self.log.info("runs.abandoned", runs=closed)
        return closed

    def _lease(self) -> LeaseView:
        return LeaseView(held=bool(self.guard.held), epoch=self.guard.epoch)

    # -- cycles --------------------------------------------------------------------------
    def cycle_ok(self, summary: dict[str, Any]) -> None:
        self.metrics.observe_cycle(summary, rejects_by_code=q.rejects_by_code(self.engine, summary["run_id"]))
        self.health.cycle_finished(CycleOutcome(status="ok", run_id=summary["run_id"],
                                                finished_at=datetime.now(UTC)))

    def cycle_ended(self, status: str, exc: BaseException) -> None:
        """A cycle that did not finish: ``failed`` or ``stepped_down`` (lost the lease)."""
        self.metrics.observe_end(status)
        self.health.cycle_finished(CycleOutcome(
            status=status, finished_at=datetime.now(UTC), error=str(exc).splitlines()[0][:300],
            unreachable=unreachable_systems(exc)))

    def _store_gauges(self) -> StoreGauges:
        return StoreGauges(pending=q.pending_count(self.engine), review_queue=q.review_count(self.engine))

    # -- probes --------------------------------------------------------------------------
    def start_probes(self, serve: Callable[..., Any], *, host: str, port: int) -> Any:
        """Serve ``/healthz``, ``/readyz`` and ``/metrics`` with ``serve(app, host=, port=)``."""
        sources = ProbeSources(health=self.health, metrics=self.metrics,
                               ping_store=lambda: q.ping(self.engine),
                               last_run=lambda: q.last_finished_run(self.engine),
                               heartbeat_max_age=self._heartbeat_max_age)
        self._server = serve(probe_app(sources), host=host, port=port)
        self.log.info("probes.listening", host=host, port=self._server.port)
        return self._server

    def stop_probes(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
