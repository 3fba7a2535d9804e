"""Insert-or-update and insert-or-ignore that work on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

__all__ = ["insert_ignore", "insert_new", "upsert"]


def _insert(conn: Connection, table: Table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
           keys: Sequence[str]) -> None:
    """Insert rows; where the key exists, overwrite the other columns."""
    if not rows:
        return
    updates = [c for c in rows[0] if c not in keys]
    if updates and _driver_ok(conn, table, rows):
        quote = conn.dialect.identifier_preparer.quote
        _sqlite_insert(conn, table, rows, f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET "
                                          + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in updates))
        return
    stmt = _insert(conn, table)
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_={c: stmt.excluded[c] for c in updates}),
                 list(rows))


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                  key: str) -> int:
    """Insert rows whose single-column ``key`` is new; return how many were new. One
    ``INSERT … ON CONFLICT DO NOTHING`` for all rows (no read first); a key given twice
    keeps its last row."""
    if not rows:
        return 0
    if not _driver_ok(conn, table, rows):
        return len(insert_new(conn, table, rows, key, key))
    quote = conn.dialect.identifier_preparer.quote
    return _sqlite_insert(conn, table, list({r[key]: r for r in rows}.values()),
                          f"ON CONFLICT ({quote(key)}) DO NOTHING")


def insert_new(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], key: str,
               column: str) -> list[Any]:
    """Insert rows whose single-column ``key`` is new; return ``column`` of each new row.
    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` for all rows; a key given twice
    keeps its last row. (Not SQLite's driver path: its executemany returns no rows.)"""
    fresh = list({r[key]: r for r in rows}.values())
    if not fresh:
        return []
    stmt = _insert(conn, table).on_conflict_do_nothing(index_elements=[key])
    return list(conn.execute(stmt.returning(table.c[column]), fresh).scalars())


def _driver_ok(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> bool:
    """SQLite, and every column left out has no default to fill in (Core fills those)."""
    return conn.dialect.name == "sqlite" and not any(
        c.default is not None for c in table.c if c.name not in rows[0])


def _sqlite_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], on_conflict: str) -> int:
    """The driver's executemany with each column's own bind processor applied in one pass:
    the same stored values as a Core insert, without Core's per-row parameter handling
    (the bulk of the cost for hundreds of thousands of rows). sqlite3 sums the row counts
    of an executemany: with DO NOTHING that is the count of new rows."""
    dialect, quote = conn.dialect, conn.dialect.identifier_preparer.quote
    columns = list(rows[0])
    procs = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)}) {on_conflict}")
    # column by column (each value through its processor in one ``map``), then as rows
    values = [list(map(itemgetter(c), rows)) for c in columns]
    values = [v if p is None else list(map(p, v)) for v, p in zip(values, procs)]
    return conn.exec_driver_sql(sql, list(zip(*values))).rowcount
