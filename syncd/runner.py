"""Run one cycle with its bookkeeping: run id, preflight, run record, summary log, heartbeat."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import structlog

from syncd.app import App, resolve_path
from syncd.crash import one_line
from syncd.errors import (AuthError, BudgetExhausted, ConfigError, ConfigIssue, ConnectorError, CycleStopped,
                          FatalApiError, RetriableError, SyncdError, UnreachableError)
from syncd.lifecycle import load_scoring
from syncd.schema_check import check_hubspot_properties, check_mapping_against_schema
from syncd.store.problems import store_problem
from syncd.sync.cycle import run_cycle
from syncd.sync.summary import CycleSummary

__all__ = ["explain_error", "new_run_id", "preflight", "run_once", "write_heartbeat"]


def preflight(app: App) -> list[ConfigIssue]:
    """Check the mappings against both live schemas: Salesforce's fields and picklists, the
    portal's contact properties and its ``lifecyclestage`` options; raise one
    ``ConfigError`` with every mismatch. A property fields.toml maps that the portal lacks is
    an error; one a scoring rule reads is returned as a warning (that rule never scores)."""
    schemas = {name: app.salesforce.describe(name) for name in ("Lead", "Contact")}
    issues = check_mapping_against_schema(
        app.settings.fields, schemas, file=str(app.settings.mappings_dir / "fields.toml"),
        picklist_values=app.rules.written_values())
    portal = app.hubspot.contact_properties()
    mapped, scored = _properties_read(app.settings)
    issues += check_hubspot_properties(mapped, portal)
    warnings = check_hubspot_properties(scored, portal)
    try:
        load_scoring(app.settings.mappings_dir / "scoring.toml",
                     portal_stages=app.hubspot.lifecycle_stages(portal))
    except ConfigError as exc:
        issues += exc.issues
    if issues:
        raise ConfigError(issues)
    return warnings


def _properties_read(settings) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """``(file, key path, HubSpot property)`` for every property fields.toml maps, and for
    every property scoring.toml reads."""
    fields, scoring = str(settings.mappings_dir / "fields.toml"), str(settings.mappings_dir / "scoring.toml")
    mapped = [(fields, f"fields[{i}].hubspot", rule.hubspot)
              for i, rule in enumerate(settings.fields.fields) if rule.rule != "dont_sync"]
    config = settings.scoring.config
    scored = [(scoring, f"fit.rules[{i}].property", rule.property) for i, rule in enumerate(config.fit.rules)]
    scored += [(scoring, f"intent.consent_properties.{name}", name) for name in config.intent.consent_properties]
    if config.stages.initial_from_property:
        scored.append((scoring, "stages.initial_from_property", config.stages.initial_from_property))
    return mapped, scored


_WARNED: set[str] = set()


def new_run_id() -> str:
    """12 characters, never all digits (so no reader mistakes one for a phone number)."""
    return "r" + uuid.uuid4().hex[:11]


def run_once(app: App, *, stop: threading.Event | None = None, check: bool = True) -> CycleSummary:
    """One cycle. Every wait inside is bounded by ``schedule.run_timeout_minutes`` and
    ``stop``: a spent budget ends it with ``BudgetExhausted`` (logged as
    ``cycle.budget_exhausted`` with the limit and its reset), a stop with ``CycleStopped``;
    what earlier chunks committed stays settled either way."""
    run_id = new_run_id()
    structlog.contextvars.bind_contextvars(run_id=run_id)
    log = structlog.get_logger("syncd")
    app.store.start_run(run_id, now=app.clock.now())
    try:
        with app.pacer.cycle(stop=stop, seconds=app.config.schedule.run_timeout_minutes * 60):
            if check:
                for warning in preflight(app):
                    if warning.render() not in _WARNED:  # once per process, not every cycle
                        _WARNED.add(warning.render())
                        log.warning("config.warning", problem=warning.render())
            summary = run_cycle(app.deps(), run_id=run_id, stop=stop)
    except BudgetExhausted as exc:
        _ended_early(app, run_id, "budget_exhausted", exc)
        app.pacer.budget_spent(exc)
        log.warning("cycle.budget_exhausted", limit=exc.limit, system=exc.system, code=exc.code,
                    resets_at=exc.resets_at.isoformat(timespec="seconds"),
                    next_cycle_after=exc.resets_at.isoformat(timespec="seconds"),
                    reason=str(exc))
        raise
    except CycleStopped as exc:
        _ended_early(app, run_id, "stopped", exc)
        log.info("cycle.stopped", reason=str(exc))
        raise
    except Exception as exc:
        app.store.finish_run(run_id, now=app.clock.now(), status="failed", summary={},
                             error=explain_error(exc))
        log.error("cycle.failed", error=explain_error(exc), error_type=type(exc).__name__)
        raise
    finally:
        structlog.contextvars.unbind_contextvars("run_id")
    app.store.finish_run(run_id, now=app.clock.now(), status="ok", summary=summary.to_dict())
    log.info("cycle.completed", run_id=run_id, **{k: v for k, v in summary.to_dict().items()
                                                  if k != "run_id"})
    write_heartbeat(resolve_path(app.settings, app.settings.config.logging.heartbeat_file),
                    app.pacer.status())
    return summary


def _ended_early(app: App, run_id: str, status: str, exc: BaseException) -> None:
    """Close the run record of a cycle that ended before its end (its chunks are kept)."""
    app.store.finish_run(run_id, now=app.clock.now(), status=status, summary={},
                         error=explain_error(exc))


def write_heartbeat(path: Path, status: Mapping[str, Any] | None = None) -> None:
    """Write the heartbeat file the container's health check reads: the time on the first
    line, then what the daemon is doing (``syncd.pacing.Pacer.status``) as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tail = json.dumps(dict(status), sort_keys=True) + "\n" if status else ""
    tmp.write_text(f"{time.time():.0f}\n{tail}")
    tmp.replace(path)


_ADVICE = {
    AuthError: "Check the credentials named in config.toml (the environment variable or secret "
               "file) and the scopes of the integration.",
    UnreachableError: "Check the URL in config.toml, the network, proxy and TLS settings "
                      "(salesforce.ca_bundle).",
    RetriableError: "The service is busy or limiting requests; syncd will try again next cycle.",
    FatalApiError: "The request was refused; the message above says which field or value.",
}


def explain_error(exc: BaseException) -> str:
    """One paragraph a RevOps person can act on."""
    if isinstance(exc, ConfigError):
        return exc.render()
    problem = store_problem(exc)
    if problem is not None:
        return str(problem)
    if isinstance(exc, BudgetExhausted):
        return (f"{exc.system} {exc.operation}: {exc.limit} reached: {exc}. The cycle ended "
                f"with what it had done saved; the next cycle runs after "
                f"{exc.resets_at.isoformat(timespec='minutes')} when the limit resets.")
    if isinstance(exc, CycleStopped):
        return f"cycle stopped: {exc}. What it committed is kept; the rest is still pending."
    if isinstance(exc, ConnectorError):
        advice = next((text for kind, text in _ADVICE.items() if isinstance(exc, kind)), "")
        status = f" (HTTP {exc.status}{', ' + exc.code if exc.code else ''})" if exc.status else ""
        return f"{exc.system} {exc.operation} failed{status}: {exc}. {advice}".strip()
    if isinstance(exc, SyncdError):  # raised on purpose: its message is the explanation
        return str(exc)
    return f"unexpected error: {one_line(exc)}"
