"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("SYNCD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test; skipped without a server, except in CI."""
    import sqlalchemy as sa

    from syncd.store.engine import create_engine

    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            schema = f"syncd_test_{uuid.uuid4().hex[:10]}"
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set SYNCD_TEST_PG_URL)")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> Iterator[str]:
    """The state store URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
    else:
        yield from _pg_schema_url()


@pytest.fixture(autouse=True)
def _reset_logging():
    """Each test starts and ends with structlog's defaults (a test may point logs at a file)."""
    import structlog

    yield
    structlog.reset_defaults()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request, tmp_path):
    """A state store of each kind: the in-memory one, SQLite and PostgreSQL."""
    from syncd.store import open_store
    from syncd.testing import MemoryStateStore

    if request.param == "memory":
        yield MemoryStateStore()
        return
    urls = iter([f"sqlite:///{tmp_path / 'state.db'}"]) if request.param == "sqlite" else _pg_schema_url()
    s = open_store(next(urls))
    yield s
    s.close()
    next(urls, None)  # drops the PostgreSQL schema
