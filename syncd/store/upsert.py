"""Insert-or-update and insert-or-ignore that work on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

__all__ = ["insert_ignore", "upsert"]


def _insert(conn: Connection, table: Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
           keys: Sequence[str]) -> None:
    """Insert rows; where the key exists, overwrite the other columns."""
    if not rows:
        return
    stmt = _insert(conn, table)
    updates = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=updates), list(rows))


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                  key: str) -> int:
    """Insert rows whose single-column ``key`` is new; return how many were new. One
    ``INSERT … ON CONFLICT DO NOTHING`` for all rows (no read first); a key given twice
    keeps its last row."""
    fresh = list({r[key]: r for r in rows}.values())
    if not fresh:
        return 0
    stmt = _insert(conn, table).on_conflict_do_nothing(index_elements=[key])
    if conn.dialect.name == "sqlite":  # sqlite3 sums an executemany's row counts
        return conn.execute(stmt, fresh).rowcount
    return len(conn.execute(stmt.returning(table.c[key]), fresh).all())
