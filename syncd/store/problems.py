"""Database failures as one paragraph a person can act on, and the integrity check.

``store_problem(exc)`` turns a SQLite / PostgreSQL / file-system failure of the state store
into a ``StoreProblem`` (exit 2: it will not work until someone changes something; exit 3:
try again later). ``check_integrity`` runs ``PRAGMA quick_check`` (SQLite) so a damaged
``state.db`` is refused at start-up instead of being used.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from syncd.errors import SyncdError

__all__ = ["StoreProblem", "check_integrity", "location", "store_problem"]

REBUILD = ("Restore state.db from a backup, or move it aside and rebuild the state from both "
           "systems with `syncd backfill --since <date>` (syncd then links records again by "
           "their HubSpot id; nothing is duplicated in Salesforce).")
_where: list[str] = ["the state store (state.url in config.toml)"]


class StoreProblem(SyncdError):
    """The state store cannot be used; the message says why and what to do."""

    def __init__(self, message: str, *, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def location(engine_or_url: Engine | str) -> str:
    """Remember and return how to name the store in messages (path or URL, no password)."""
    try:
        url = engine_or_url.url if isinstance(engine_or_url, Engine) else sa.engine.make_url(engine_or_url)
    except sa.exc.ArgumentError:
        return _where[0]
    if url.get_backend_name() == "sqlite":
        name = f"the SQLite state store {url.database}"
    else:
        name = f"the PostgreSQL state store {url.render_as_string(hide_password=True)}"
    _where[0] = name
    return name


# (substring of the database's message, exit code, what it means and what to do)
_SQLITE: tuple[tuple[str, int, str], ...] = (
    ("readonly database", 2, "is read-only for this process: give its user write access to the "
                             "file and to its directory (SQLite writes a journal beside it)."),
    ("unable to open database file", 2, "cannot be opened or created: check that its directory "
                                        "exists and that this process may write there."),
    ("disk is full", 3, "cannot grow: the disk is full. Free space on that volume; the last "
                        "transaction was rolled back, so nothing is half-written."),
    ("not a database", 2, "is not a SQLite database (damaged header, or another file at that "
                          "path). " + REBUILD),
    ("malformed", 2, "is damaged (the database disk image is malformed). " + REBUILD),
    ("database is locked", 3, "stayed locked by another process for more than 10 s (an open "
                              "sqlite3 shell, a backup tool, or a network file system). Close "
                              "it and try again; keep state.db on a local disk."),
)
_POSTGRES: tuple[tuple[str, int, str], ...] = (
    ("password authentication failed", 2, "refused the credentials: check the user in state.url "
                                          "and state.password_env / password_file."),
    ("does not exist", 2, "names a database or role that does not exist: create it or fix "
                          "state.url."),
    ("permission denied", 2, "refused this user: grant it the rights to create and change tables "
                             "in its schema."),
    ("could not extend file", 3, "cannot grow: the server's disk is full. Nothing is "
                                 "half-written; free space and try again."),
    ("connection refused", 3, "cannot be reached: check that PostgreSQL runs and that host and "
                              "port in state.url are right."),
    ("could not translate host name", 3, "names a host that cannot be resolved: check state.url."),
    ("timeout", 3, "did not answer in time: check the server and the network."),
)


def _paragraph(where: str, text: str, detail: str) -> str:
    return f"{where[0].upper()}{where[1:]} {text} (database said: {detail})"


def store_problem(exc: BaseException, *, where: str | None = None,
                  files: bool = False) -> StoreProblem | None:
    """The ``StoreProblem`` for a database failure (and, with ``files``, a file-system one
    while opening the store), ``None`` for anything else."""
    where = where or _where[0]
    if isinstance(exc, StoreProblem):
        return exc
    if files and isinstance(exc, OSError) and not isinstance(exc, ConnectionError):
        return _os_problem(exc, where)
    if not isinstance(exc, sa.exc.SQLAlchemyError | sqlite3.Error):
        return None
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
    lowered = detail.lower()
    for needle, code, text in (*_SQLITE, *_POSTGRES):
        if needle in lowered:
            return StoreProblem(_paragraph(where, text, detail), exit_code=code)
    return StoreProblem(_paragraph(where, "failed unexpectedly; nothing of the failed transaction "
                                          "was kept. Try again; if it repeats, report it.", detail),
                        exit_code=3)


def _os_problem(exc: OSError, where: str) -> StoreProblem:
    path = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (f"cannot be written{path}: its directory is read-only or not this process's. Give "
                "the process write access to the directory of state.db, or point state.url elsewhere.")
        return StoreProblem(f"{where[0].upper()}{where[1:]} {text}", exit_code=2)
    if exc.errno == errno.ENOSPC:
        return StoreProblem(f"{where[0].upper()}{where[1:]} cannot grow{path}: the disk is full. "
                            "Free space on that volume and try again.", exit_code=3)
    if exc.errno in (errno.EISDIR, errno.ENOTDIR):
        return StoreProblem(f"{where[0].upper()}{where[1:]} is not a file path{path}: state.url "
                            "must name a file, e.g. sqlite:///var/syncd/state.db.", exit_code=2)
    return StoreProblem(f"{where[0].upper()}{where[1:]} cannot be used{path}: {exc.strerror or exc}.",
                        exit_code=3)


def check_integrity(engine: Engine) -> None:
    """``PRAGMA quick_check`` on SQLite; raise ``StoreProblem`` (exit 2) unless it says ok."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    where = location(engine)
    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(5)")]
    except (sa.exc.SQLAlchemyError, sqlite3.Error) as exc:
        raise store_problem(exc, where=where) from None
    if rows != ["ok"]:
        raise StoreProblem(f"{where[0].upper()}{where[1:]} is damaged: PRAGMA quick_check found "
                           f"{_summary(rows)}. {REBUILD}", exit_code=2)


def _summary(rows: Iterable[str]) -> str:
    rows = [" ".join(str(r).split()) for r in rows]
    return "; ".join(rows[:3]) + (f" (and {len(rows) - 3} more)" if len(rows) > 3 else "")
