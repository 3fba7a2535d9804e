"""Scheduled jobs: their triggers from config, and one runner giving each run a deadline.

Every job runs in the daemon's one in-process scheduler with ``max_instances=1`` and
``coalesce=True`` (a run still going means the next is skipped; runs missed while the
process was paused or busy collapse into one). A run gets a stop event that is set when its
timeout passes or the daemon stops; jobs check it between units of work, so a timeout ends
a run cleanly instead of killing it mid-transaction. A job that needs the writer lease does
nothing on a replica that does not hold it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Protocol

import structlog
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from syncd.errors import SyncdError
from syncd.store.guard import LeaseLost

__all__ = ["JOB_DEFAULTS", "Gate", "JobRunner", "JobSpec", "NotLeader", "RunStop", "trigger_for"]

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


class NotLeader(SyncdError):
    """This replica does not hold the writer lease (or lost it): it must not change anything."""


class RunStop(threading.Event):
    """A run's stop signal; ``reason`` says who set it (``timeout`` or ``daemon stopping``)."""

    def __init__(self) -> None:
        super().__init__()
        self.reason: str | None = None

    def stop(self, reason: str) -> None:
        self.reason = self.reason or reason
        self.set()


class Gate(Protocol):
    """Whether this replica may do work now (holds the writer lease)."""

    def holds(self) -> bool: ...


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """One scheduled job: ``work(stop)`` does the job and returns when ``stop`` is set."""

    name: str
    trigger: BaseTrigger
    timeout_seconds: float
    work: Callable[[threading.Event], object]
    needs_lease: bool = True


def trigger_for(*, interval_minutes: float | None, cron: str | None) -> BaseTrigger:
    """A cron trigger (UTC) when ``cron`` is given, else an interval trigger."""
    if cron:
        return CronTrigger.from_crontab(cron, timezone=UTC)
    return IntervalTrigger(seconds=float(interval_minutes or 0) * 60, timezone=UTC)


class JobRunner:
    """Runs job specs with a deadline, the lease check and one log line per run."""

    def __init__(self, *, gate: Gate, on_result: Callable[[str, str], None] | None = None) -> None:
        self.gate = gate
        self.on_result = on_result or (lambda job, status: None)
        self.log = structlog.get_logger("syncd.jobs")
        self._active: set[RunStop] = set()
        self._lock = threading.Condition()
        self._stopping = False

    def stop_all(self) -> None:
        """The daemon is stopping: every running job is asked to finish its current unit."""
        with self._lock:
            self._stopping = True
            for event in self._active:
                event.stop("daemon stopping")

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs (``True``), or ``timeout`` seconds (``False``)."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._active, timeout=timeout)

    def run(self, spec: JobSpec) -> str:
        """Run ``spec`` once; return its status (``ok``, ``timeout``, ``standby``,
        ``stepped_down``, ``failed``, ``stopping``)."""
        if spec.needs_lease and not self.gate.holds():
            return self._finish(spec, "standby")
        stop = RunStop()
        with self._lock:
            if self._stopping:
                return self._finish(spec, "stopping")
            self._active.add(stop)
        timer = threading.Timer(spec.timeout_seconds, self._timed_out, args=(spec, stop))
        timer.daemon = True
        timer.start()
        try:
            status = self._call(spec, stop)
        finally:
            timer.cancel()
            with self._lock:
                self._active.discard(stop)
                self._lock.notify_all()
        return self._finish(spec, "timeout" if status == "ok" and stop.reason == "timeout" else status)

    def _call(self, spec: JobSpec, stop: RunStop) -> str:
        try:
            spec.work(stop)
        except (NotLeader, LeaseLost) as exc:
            self.log.warning("job.stepped_down", job=spec.name, reason=str(exc))
            return "stepped_down"
        except SyncdError as exc:  # the job logged what went wrong; say which kind
            self.log.warning("job.failed", job=spec.name, error_type=type(exc).__name__)
            return "failed"
        except Exception:  # a bug in one run must not stop the scheduler
            self.log.exception("job.crashed", job=spec.name)
            return "failed"
        return "ok"

    def _timed_out(self, spec: JobSpec, stop: RunStop) -> None:
        self.log.warning("job.timeout", job=spec.name, seconds=spec.timeout_seconds)
        stop.stop("timeout")

    def _finish(self, spec: JobSpec, status: str) -> str:
        if status != "standby":
            self.log.info("job.finished", job=spec.name, status=status)
        self.on_result(spec.name, status)
        return status
