"""The long-running daemon: one in-process APScheduler 3 scheduler and its jobs.

Jobs (``syncd.ops.jobs``): the sync cycle, the nightly audit, and on PostgreSQL the
``leader`` job that takes the writer lease when it is free. Each job has its own trigger
(interval or cron), one instance at a time, missed runs coalesced and a per-run timeout;
a job that changes anything runs only while this replica holds the writer lease. A
heartbeat job feeds the container's health check (a file) and ``/healthz``. On SIGTERM or
SIGINT running jobs are asked to stop after their current unit of work and given
``schedule.drain_seconds`` to do so; the process then exits 0 (everything not committed is
still pending, so the next start resumes it).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import UTC, datetime

import structlog
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from syncd.app import App, resolve_path
from syncd.errors import BudgetExhausted, CycleStopped, SyncdError
from syncd.ops.fenced import FencedGateway
from syncd.ops.jobs import JOB_DEFAULTS, JobSpec, trigger_for
from syncd.ops.runtime import Operations
from syncd.runner import explain_error, run_once, write_heartbeat
from syncd.store.guard import LeaseLost

__all__ = ["Daemon"]

HEARTBEAT_SECONDS = 30
WEBHOOK_POLL_SECONDS = 5


class Daemon:
    def __init__(self, app: App) -> None:
        self.app = app
        self.stop = threading.Event()
        self.log = structlog.get_logger("syncd.daemon")
        self.scheduler = BlockingScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
        self.heartbeat = resolve_path(app.settings, app.settings.config.logging.heartbeat_file)
        self.ops = Operations(engine=app.store.engine, guard=app.store.guard,
                              heartbeat_max_age=app.config.ops.heartbeat_max_age_seconds)
        app.salesforce = FencedGateway(app.salesforce, app.store.guard)
        self._webhooks = None
        self._drained = True

    def cycle(self, stop: threading.Event) -> None:
        """One sync cycle; its outcome feeds the probes and metrics."""
        try:
            summary = run_once(self.app, stop=stop)
        except BudgetExhausted as exc:  # ended cleanly: the next cycle after the reset
            self._resume_after(exc.resets_at)
            self.ops.cycle_ended("budget_exhausted", exc)
            return
        except CycleStopped as exc:  # stopping or timed out while waiting: nothing lost
            self.ops.cycle_ended("stopped", exc)
            return
        except LeaseLost as exc:
            self.ops.cycle_ended("stepped_down", exc)
            raise
        except SyncdError as exc:
            self.log.error("cycle.error", error=explain_error(exc))
            self.ops.cycle_ended("failed", exc)
            raise
        except Exception as exc:
            self.ops.cycle_ended("failed", exc)
            raise
        self.ops.cycle_ok(summary.to_dict())

    def _resume_after(self, at: datetime) -> None:
        """Schedule the next sync cycle when the spent budget resets (not before)."""
        job = self.scheduler.get_job("sync")
        if job is not None and (job.next_run_time is None or job.next_run_time < at):
            self.scheduler.modify_job("sync", next_run_time=at)
            self.log.info("cycle.next_after_budget_reset", next_run_time=at.isoformat(timespec="seconds"))
        self.beat()  # the heartbeat says what it waits for at once

    def audit(self, stop: threading.Event) -> None:
        """The nightly audit: drift between Salesforce and syncd's memory, re-queued."""
        from syncd.audit import run_audit

        result = run_audit(self.app.salesforce, self.app.store.engine, self.app.settings.fields, stop=stop)
        if result is not None:
            self.ops.metrics.observe_drift(result.findings.counts)

    def _jobs(self) -> list[JobSpec]:
        s = self.app.config.schedule
        jobs = [JobSpec(name="sync", trigger=trigger_for(interval_minutes=s.interval_minutes, cron=s.cron),
                        timeout_seconds=s.run_timeout_minutes * 60, work=self.cycle)]
        if s.audit.enabled:
            jobs.append(JobSpec(name="audit", trigger=trigger_for(interval_minutes=s.audit.interval_minutes,
                                                                   cron=s.audit.cron),
                                timeout_seconds=s.audit.timeout_minutes * 60, work=self.audit))
        if s.offline.enabled:
            work = self._offline_work()
            if work is None:
                self.log.warning("job.unavailable", job="offline",
                                 reason="the drop-folder import is not part of this build; not scheduled")
            else:
                jobs.append(JobSpec(name="offline", trigger=trigger_for(
                    interval_minutes=s.offline.interval_minutes, cron=s.offline.cron),
                    timeout_seconds=s.offline.timeout_minutes * 60, work=work))
        return jobs

    def _offline_work(self):
        """The drop-folder import's entry point, ``syncd.offline.job.run_drop_folder(app, *,
        stop)``, once the offline work provides it; ``None`` until then."""
        try:
            from syncd.offline.job import run_drop_folder
        except ModuleNotFoundError as exc:
            if exc.name not in ("syncd.offline", "syncd.offline.job"):
                raise  # the module is there but broken: say so, do not hide it
            return None
        return lambda stop: run_drop_folder(self.app, stop=stop)

    def beat(self) -> None:
        write_heartbeat(self.heartbeat, self.app.pacer.status())
        self.ops.health.beat()

    def request_stop(self, signum: int | None = None, _frame=None) -> None:
        self.log.info("daemon.stopping", signal=signum)
        self.stop.set()
        self.ops.runner.stop_all()
        seconds = self.app.config.schedule.drain_seconds
        self._drained = self.ops.runner.wait_idle(seconds)
        if not self._drained:
            self.log.warning("daemon.drain_timeout", seconds=seconds)
        self.scheduler.shutdown(wait=False)

    def _start_webhooks(self) -> None:
        """Serve the webhook receiver and start a cycle soon after contacts are named."""
        from syncd.wiring import serve_webhooks

        hooks = self.app.config.hubspot.webhooks
        self._webhooks = serve_webhooks(
            self.app.webhooks, client_secret=self.app.settings.secrets.hubspot_client_secret,
            public_url=str(hooks.public_url) if hooks.public_url else None, host=hooks.host, port=hooks.port)
        self.scheduler.add_job(self._trigger_if_named, "interval", seconds=WEBHOOK_POLL_SECONDS,
                               id="webhooks")
        self.log.info("webhooks.listening", port=self._webhooks.port)

    def _trigger_if_named(self) -> None:
        if self.app.webhooks is not None and len(self.app.webhooks):
            self._run_sync_now()

    def _run_sync_now(self) -> None:
        self.scheduler.modify_job("sync", next_run_time=datetime.now(UTC))

    def _add_leader_job(self) -> None:
        renew = getattr(self.app.store.guard, "renew_every", None)
        if renew:  # PostgreSQL: replicas take turns through the lease
            self.scheduler.add_job(self.ops.campaign, IntervalTrigger(seconds=renew, timezone=UTC),
                                   args=[self._run_sync_now], id="leader", next_run_time=datetime.now(UTC))

    def _start_probes(self) -> None:
        ops = self.app.config.ops
        if ops.port is not None:
            from syncd.wiring import serve_wsgi

            self.ops.start_probes(serve_wsgi, host=ops.host, port=ops.port)

    def serve(self) -> None:
        now = datetime.now(UTC)
        for job in self._jobs():
            first = {"next_run_time": now} if job.name == "sync" else {}
            self.scheduler.add_job(self.ops.runner.run, job.trigger, args=[job], id=job.name, **first)
        self.scheduler.add_job(self.beat, "interval", seconds=HEARTBEAT_SECONDS, next_run_time=now,
                               id="heartbeat")
        self.ops.listen_to_logs()
        if self.app.store.guard.held:  # SQLite: the one writer from the start
            self.ops.close_abandoned_runs()
        self._add_leader_job()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda s, f: threading.Thread(target=self.request_stop, args=(s,)).start())
        self.log.info("daemon.started", jobs=[j.id for j in self.scheduler.get_jobs()],
                      interval_minutes=self.app.config.schedule.interval_minutes, replica=self.ops.replica)
        self._start_probes()
        if self.app.config.hubspot.webhooks.enabled:
            self._start_webhooks()
        self.scheduler.start()
        self._shutdown()

    def _shutdown(self) -> None:
        self.ops.stop_probes()
        if self._webhooks is not None:
            self._webhooks.shutdown()
        if self._drained:
            self.log.info("daemon.stopped")
            return
        # A job is still inside a call: its transaction is uncommitted, so nothing is lost;
        # give up the store at once (the fence now refuses that job's commit) and leave.
        self.app.store.guard.release()
        self.log.info("daemon.stopped", drained=False)
        sys.stdout.flush()
        os._exit(0)
