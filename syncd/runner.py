"""Run one cycle with its bookkeeping: run id, preflight, run record, summary log, heartbeat."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import structlog

from syncd.app import App, resolve_path
from syncd.errors import (AuthError, ConfigError, ConnectorError, FatalApiError, RetriableError,
                          UnreachableError)
from syncd.lifecycle import load_scoring
from syncd.schema_check import check_mapping_against_schema
from syncd.sync.cycle import run_cycle
from syncd.sync.summary import CycleSummary

__all__ = ["explain_error", "preflight", "run_once", "write_heartbeat"]


def preflight(app: App) -> None:
    """Check the mappings against both live schemas: Salesforce's fields and picklists, and
    the portal's ``lifecyclestage`` options; raise one ``ConfigError`` with every mismatch."""
    schemas = {name: app.salesforce.describe(name) for name in ("Lead", "Contact")}
    issues = check_mapping_against_schema(
        app.settings.fields, schemas, file=str(app.settings.mappings_dir / "fields.toml"),
        picklist_values=app.rules.written_values())
    try:
        load_scoring(app.settings.mappings_dir / "scoring.toml",
                     portal_stages=app.hubspot.lifecycle_stages())
    except ConfigError as exc:
        issues += exc.issues
    if issues:
        raise ConfigError(issues)


def run_once(app: App, *, stop: threading.Event | None = None, check: bool = True) -> CycleSummary:
    run_id = uuid.uuid4().hex[:12]
    structlog.contextvars.bind_contextvars(run_id=run_id)
    log = structlog.get_logger("syncd")
    app.store.start_run(run_id, now=app.clock.now())
    try:
        if check:
            preflight(app)
        summary = run_cycle(app.deps(), run_id=run_id, stop=stop)
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
    write_heartbeat(resolve_path(app.settings, app.settings.config.logging.heartbeat_file))
    return summary


def write_heartbeat(path: Path) -> None:
    """Touch the heartbeat file the container's health check reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{time.time():.0f}\n")
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
    if isinstance(exc, ConnectorError):
        advice = next((text for kind, text in _ADVICE.items() if isinstance(exc, kind)), "")
        status = f" (HTTP {exc.status}{', ' + exc.code if exc.code else ''})" if exc.status else ""
        return f"{exc.system} {exc.operation} failed{status}: {exc}. {advice}".strip()
    return f"unexpected error: {type(exc).__name__}: {exc}"
