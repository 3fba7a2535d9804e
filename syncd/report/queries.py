"""Read-only queries over the state store's tables, for probes, metrics and the report.

They take an SQLAlchemy ``Engine`` (``StateStore.engine``) and use ``syncd.store.tables``
directly, so the store's own write API stays as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from syncd.store import tables as t

__all__ = ["current_stages", "last_finished_run", "pending_count", "ping", "rejects_by_code",
           "rejects_since", "review_count", "review_items", "runs_since", "stage_moves_since"]


def ping(engine: Engine) -> None:
    """Raise unless the store answers a trivial query."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def pending_count(engine: Engine) -> int:
    """Contacts still to sync (the durable queue)."""
    c = t.contacts.c
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).where(
            c.pending.is_(True), c.archived.is_(False), c.merged_into.is_(None))) or 0


def review_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t.review_queue)) or 0


def rejects_by_code(engine: Engine, run_id: str) -> dict[str, int]:
    """Rows refused in one run, by error code."""
    r = t.rejects.c
    with engine.connect() as conn:
        rows = conn.execute(select(r.code, func.count()).where(r.run_id == run_id).group_by(r.code))
        return {code: n for code, n in rows}


def last_finished_run(engine: Engine) -> dict[str, Any] | None:
    """The newest run that is no longer running, whichever replica ran it."""
    with engine.connect() as conn:
        row = conn.execute(select(t.runs).where(t.runs.c.status != "running")
                           .order_by(t.runs.c.started_at.desc()).limit(1)).mappings().first()
        return dict(row) if row else None


def runs_since(engine: Engine, since: datetime | None) -> list[dict[str, Any]]:
    """Every run started at or after ``since`` (all when ``None``), oldest first."""
    query = select(t.runs).order_by(t.runs.c.started_at)
    if since is not None:
        query = query.where(t.runs.c.started_at >= since)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _since(query, column, since: datetime | None):
    return query if since is None else query.where(column >= since)


def rejects_since(engine: Engine, since: datetime | None) -> list[dict[str, Any]]:
    """Refused rows, newest first: code, message, ids."""
    r = t.rejects.c
    query = _since(select(r.code, r.message, r.hubspot_id, r.sf_object, r.at), r.at, since)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(r.at.desc(), r.seq.desc())).mappings()]


def review_items(engine: Engine) -> list[dict[str, Any]]:
    q = t.review_queue.c
    with engine.connect() as conn:
        rows = conn.execute(select(q.hubspot_id, q.reason, q.created_at).order_by(q.created_at))
        return [dict(row) for row in rows.mappings()]


def current_stages(engine: Engine) -> list[tuple[str, str, dict[str, Any]]]:
    """(contact, stage, lifecycle state) of every live contact syncd has qualified."""
    lc, c = t.lifecycle.c, t.contacts.c
    query = (select(lc.hubspot_id, lc.stage, lc.state)
             .select_from(t.lifecycle.join(t.contacts, c.hubspot_id == lc.hubspot_id))
             .where(c.archived.is_(False), c.merged_into.is_(None)))
    with engine.connect() as conn:
        return [(h, s, st) for h, s, st in conn.execute(query)]


def stage_moves_since(engine: Engine, since: datetime | None) -> list[tuple[str, str]]:
    """(contact, to_stage) of every recorded stage move, oldest first."""
    sh = t.stage_history.c
    query = _since(select(sh.hubspot_id, sh.to_stage), sh.at, since).order_by(sh.seq)
    with engine.connect() as conn:
        return [(h, s) for h, s in conn.execute(query)]
