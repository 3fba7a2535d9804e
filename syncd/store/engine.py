"""Create the database engine and bring its schema to the newest migration."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy.engine import Engine

from syncd.jsontext import json_dumps, json_loads

__all__ = ["checked_migrate", "create_engine", "migrate"]

_MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_STATEMENT_CACHE = 16


def create_engine(url: str) -> Engine:
    """SQLite gets WAL and ``synchronous=FULL`` so a crash never loses a committed cycle
    (pull transactions lighten it for themselves: ``store._begin_pull``)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # sqlite3 keeps 128 prepared statements per connection by default; an IN list of each
    # length is a statement of its own (up to a few hundred KiB prepared), so the default
    # would hold tens of MiB per connection on a large cycle for statements rarely reused.
    args = {"connect_args": {"cached_statements": SQLITE_STATEMENT_CACHE},
            "json_serializer": json_dumps, "json_deserializer": json_loads} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, future=True, **args)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA foreign_keys=ON")
            # page cache of up to 8 MiB (the default is 2 MiB): the engagement table and
            # its indexes are read back and grown page by page on every cycle
            cur.execute("PRAGMA cache_size=-8192")
            cur.close()
    return engine


def migrate(engine: Engine) -> None:
    """Apply every migration not yet applied (idempotent). On PostgreSQL under a
    transaction-scoped advisory lock; on SQLite the caller holds the writer lock."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.connect().execution_options(syncd_unfenced=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            from syncd.store.lease import migration_lock

            migration_lock(conn)  # two processes starting together: the second waits
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def checked_migrate(engine: Engine) -> None:
    """A writer's start-up: refuse a damaged database (``PRAGMA quick_check``), then migrate."""
    from syncd.store.problems import check_integrity

    check_integrity(engine)
    migrate(engine)
