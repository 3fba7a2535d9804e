"""Prometheus series for one daemon process, fed from each cycle's summary.

Counters count what *this* replica did since it started (as Prometheus expects: the server
sums replicas and handles restarts); gauges read the state store at scrape time, so the
review queue and the pending set are the same whichever replica is scraped. Every counter
is increased from the very ``CycleSummary.to_dict()`` the ``runs`` table stores, so a
dashboard and ``syncd status`` can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

__all__ = ["CONTENT_TYPE", "RECORD_OUTCOMES", "LeaseView", "Metrics", "StoreGauges"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

RECORD_OUTCOMES = ("pulled", "events", "matched", "created", "updated", "unchanged", "rejected",
                   "review", "skipped", "retrying", "stage_moves", "merged", "deleted", "reviewed")
"""``CycleSummary`` counts exported as ``syncd_records_total{outcome=...}``."""

DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreGauges:
    """What the state store holds right now."""

    pending: int
    review_queue: int
    sla_breaches: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaseView:
    """Whether this replica is the writer, and the lease's epoch if there is one."""

    held: bool
    epoch: int | None = None


class _ScrapeTimeGauges:
    """A collector that asks the store (and the lease) at scrape time."""

    def __init__(self, replica: str, store: Callable[[], StoreGauges] | None,
                 lease: Callable[[], LeaseView] | None) -> None:
        self.replica, self.store, self.lease = replica, store, lease

    def collect(self):
        yield from self._store_families()
        if self.lease is not None:
            view = self.lease()
            holder = GaugeMetricFamily("syncd_lease_holder", "1 while this replica holds the "
                                       "writer lease (SQLite: the file lock)", labels=["replica"])
            holder.add_metric([self.replica], 1.0 if view.held else 0.0)
            yield holder
            if view.epoch is not None:
                yield GaugeMetricFamily("syncd_lease_epoch", "fencing epoch of the lease",
                                        value=float(view.epoch))

    def _store_families(self):
        up = GaugeMetricFamily("syncd_store_up", "1 if the state store answered this scrape")
        try:
            gauges = self.store() if self.store is not None else None
        except Exception:  # a scrape must answer even when the store does not
            gauges = None
        up.add_metric([], 0.0 if gauges is None else 1.0)
        yield up
        if gauges is None:
            return
        for name, help_text, value in (
                ("syncd_pending_contacts", "contacts waiting to be synced", gauges.pending),
                ("syncd_review_queue_size", "contacts parked for a person to decide", gauges.review_queue),
                ("syncd_sla_breaches", "follow-ups past their SLA (0 until follow-up tasks are "
                 "tracked)", gauges.sla_breaches)):
            yield GaugeMetricFamily(name, help_text, value=float(value))


class Metrics:
    """The process's registry and the series the daemon updates."""

    def __init__(self, *, replica: str, store: Callable[[], StoreGauges] | None = None,
                 lease: Callable[[], LeaseView] | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.cycles = Counter("syncd_cycles", "sync cycles by how they ended", ["status"], registry=r)
        self.records = Counter("syncd_records", "records by outcome (the cycle summary's counts)",
                               ["outcome"], registry=r)
        self.api_calls = Counter("syncd_api_calls", "API calls per system", ["system"], registry=r)
        self.budget = Gauge("syncd_api_budget_remaining", "calls left in the system's daily "
                            "allowance at the end of the last cycle", ["system"], registry=r)
        self.retries = Counter("syncd_api_retries", "API calls retried by the retry layer",
                               ["system"], registry=r)
        self.rejects = Counter("syncd_rejects", "rows refused, by error code", ["code"], registry=r)
        self.duration = Histogram("syncd_cycle_duration_seconds", "cycle duration",
                                  buckets=DURATION_BUCKETS, registry=r)
        self.jobs = Counter("syncd_job_runs", "scheduled job runs by job and result",
                            ["job", "status"], registry=r)
        self.drift = Gauge("syncd_audit_drift_records", "drift found by the last audit, by kind",
                           ["kind"], registry=r)
        for status in ("ok", "failed", "stepped_down"):
            self.cycles.labels(status)
        for outcome in RECORD_OUTCOMES:
            self.records.labels(outcome)
        r.register(_ScrapeTimeGauges(replica, store, lease))

    def observe_cycle(self, summary: Mapping[str, Any], *,
                      rejects_by_code: Mapping[str, int]) -> None:
        """Count one finished cycle from its summary (``CycleSummary.to_dict()``)."""
        self.cycles.labels("ok").inc()
        for outcome in RECORD_OUTCOMES:
            self.records.labels(outcome).inc(int(summary.get(outcome) or 0))
        for system, calls in (summary.get("api_calls") or {}).items():
            self.api_calls.labels(system).inc(int(calls))
        for system, left in (summary.get("budget_left") or {}).items():
            if left is not None:
                self.budget.labels(system).set(float(left))
        for code, count in rejects_by_code.items():
            self.rejects.labels(code).inc(count)
        self.duration.observe(float(summary.get("seconds") or 0.0))

    def observe_end(self, status: str) -> None:
        """Count a cycle that did not finish (``failed``, ``stepped_down``)."""
        self.cycles.labels(status).inc()

    def observe_job(self, job: str, status: str) -> None:
        self.jobs.labels(job, status).inc()

    def observe_drift(self, counts: Mapping[str, int]) -> None:
        for kind, count in counts.items():
            self.drift.labels(kind).set(float(count))

    def retry_listener(self, _logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
        """structlog processor: count the retry layer's ``<system>.retry`` events."""
        name = event.get("event")
        if isinstance(name, str) and name.endswith(".retry"):
            self.retries.labels(name.removesuffix(".retry")).inc()
        return event

    def render(self) -> bytes:
        """The exposition text of every series."""
        return generate_latest(self.registry)
