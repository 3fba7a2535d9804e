"""``/healthz``, ``/readyz`` and ``/metrics`` as one small WSGI application.

- ``/healthz``: the process answers and the scheduler's heartbeat is fresh (a wedged
  scheduler stops beating; an orchestrator then restarts the container).
- ``/readyz``: the state store answers, the last cycle did not fail, and both APIs were
  reachable at the last cycle. A replica that has run no cycle yet (a standby) judges by the
  last run in the store, whichever replica ran it.
- ``/metrics``: Prometheus text format.

Each answers 200 or 503 with a small JSON body saying which check failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from syncd.ops.health import SYSTEMS, HealthState
from syncd.ops.metrics import CONTENT_TYPE, Metrics

__all__ = ["ProbeSources", "liveness", "probe_app", "readiness"]


@dataclass(frozen=True, kw_only=True)
class ProbeSources:
    """What the probes read: the process's health, its metrics and the store."""

    health: HealthState
    metrics: Metrics
    ping_store: Callable[[], None]
    last_run: Callable[[], dict[str, Any] | None]
    heartbeat_max_age: float = 120.0


def liveness(sources: ProbeSources) -> tuple[bool, dict[str, Any]]:
    age = sources.health.beat_age()
    fresh = age is not None and age <= sources.heartbeat_max_age
    return fresh, {"heartbeat_age_seconds": None if age is None else round(age, 1),
                   "max_age_seconds": sources.heartbeat_max_age}


def readiness(sources: ProbeSources) -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {"store": _store_check(sources)}
    outcome = sources.health.last_cycle
    if outcome is not None:
        checks["last_cycle"] = {"ok": outcome.status != "failed", "status": outcome.status,
                                "run_id": outcome.run_id, "error": outcome.error}
        for system in SYSTEMS:
            checks[system] = {"ok": outcome.api_reachable(system)}
    elif checks["store"]["ok"]:
        checks["last_cycle"] = _stored_run_check(sources)
    else:
        checks["last_cycle"] = {"ok": False, "error": "unknown: the state store did not answer"}
    return all(c["ok"] for c in checks.values()), checks


def _store_check(sources: ProbeSources) -> dict[str, Any]:
    try:
        sources.ping_store()
    except Exception as exc:  # any failure means "not reachable"; say which
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
    return {"ok": True}


def _stored_run_check(sources: ProbeSources) -> dict[str, Any]:
    run = sources.last_run()
    if run is None:
        return {"ok": False, "error": "no cycle has finished yet"}
    return {"ok": run["status"] != "failed", "status": run["status"], "run_id": run["run_id"],
            "source": "state store", "error": run.get("error")}


def probe_app(sources: ProbeSources) -> Callable:
    """The WSGI application serving the three endpoints."""
    def app(environ: dict, start_response: Callable):
        path = Request(environ).path.rstrip("/") or "/"
        if path == "/metrics":
            response = Response(sources.metrics.render(), content_type=CONTENT_TYPE)
        elif path in ("/healthz", "/readyz"):
            ok, detail = (liveness if path == "/healthz" else readiness)(sources)
            body = json.dumps({"ok": ok, **({"checks": detail} if path == "/readyz" else detail)})
            response = Response(body, status=200 if ok else 503, content_type="application/json")
        else:
            response = Response('{"error": "not found"}', status=404, content_type="application/json")
        return response(environ, start_response)
    return app
