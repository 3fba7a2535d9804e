"""The long-running daemon: one in-process APScheduler 3 scheduler, one sync job.

One instance of the job at a time, missed runs coalesced, a cooperative per-run timeout,
a heartbeat file for the container's health check, and a graceful stop on SIGTERM/SIGINT
that lets the current batch finish.
"""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime

import structlog
from apscheduler.schedulers.blocking import BlockingScheduler

from syncd.app import App, resolve_path
from syncd.errors import SyncdError
from syncd.runner import explain_error, run_once, write_heartbeat

__all__ = ["Daemon"]

HEARTBEAT_SECONDS = 30
WEBHOOK_POLL_SECONDS = 5


class Daemon:
    def __init__(self, app: App) -> None:
        self.app = app
        self.stop = threading.Event()
        self.log = structlog.get_logger("syncd.daemon")
        self.scheduler = BlockingScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        self.heartbeat = resolve_path(app.settings, app.settings.config.logging.heartbeat_file)
        self._webhooks = None

    def cycle(self) -> None:
        """One scheduled cycle; failures are logged and the next interval tries again."""
        run_stop = threading.Event()
        limit = self.app.config.schedule.run_timeout_minutes * 60
        timer = threading.Timer(limit, self._timeout, args=(run_stop,))
        timer.daemon = True
        timer.start()
        watcher = threading.Thread(target=lambda: (self.stop.wait(), run_stop.set()), daemon=True)
        watcher.start()
        try:
            run_once(self.app, stop=run_stop)
        except SyncdError as exc:
            self.log.error("cycle.error", error=explain_error(exc))
        except Exception:
            self.log.exception("cycle.crashed")
        finally:
            timer.cancel()

    def _timeout(self, run_stop: threading.Event) -> None:
        self.log.warning("cycle.timeout", minutes=self.app.config.schedule.run_timeout_minutes)
        run_stop.set()

    def beat(self) -> None:
        write_heartbeat(self.heartbeat)

    def request_stop(self, signum: int | None = None, _frame=None) -> None:
        self.log.info("daemon.stopping", signal=signum)
        self.stop.set()
        self.scheduler.shutdown(wait=True)

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
            self.scheduler.modify_job("sync", next_run_time=datetime.now(UTC))

    def serve(self) -> None:
        interval = self.app.config.schedule.interval_minutes
        now = datetime.now(UTC)
        self.scheduler.add_job(self.cycle, "interval", minutes=interval, next_run_time=now, id="sync")
        self.scheduler.add_job(self.beat, "interval", seconds=HEARTBEAT_SECONDS, next_run_time=now,
                               id="heartbeat")
        if self.app.config.hubspot.webhooks.enabled:
            self._start_webhooks()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda s, f: threading.Thread(target=self.request_stop, args=(s,)).start())
        self.log.info("daemon.started", interval_minutes=interval)
        self.scheduler.start()
        if self._webhooks is not None:
            self._webhooks.shutdown()
        self.log.info("daemon.stopped")
