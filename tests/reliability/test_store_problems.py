"""The state store is checked: damaged, foreign, unwritable, full or locked stores give one
paragraph and exit 2 or 3, never a traceback; anything unexpected gives one line and the
file holding its traceback."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from syncd.cli import main
from syncd.store.problems import StoreProblem, store_problem


def _state(config_path):
    return config_path.parent / "state.db"


def _set_url(config_path, url: str) -> None:
    text = config_path.read_text()
    start = text.index('url = "sqlite:///')
    end = text.index("\n", start)
    config_path.write_text(text[:start] + f'url = "{url}"' + text[end:])


def _damage_pages(db) -> None:
    size = db.stat().st_size
    with db.open("r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xde\xad\xbe\xef" * 512)


def _damage_header(db) -> None:
    with db.open("r+b") as fh:
        fh.write(b"this is no SQLite")


def _foreign_file(db) -> None:
    db.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64)


def _run_once_then(config_path, damage, capsys):
    assert main(["once", "--config", str(config_path)]) == 0
    damage(_state(config_path))
    for suffix in ("-wal", "-shm"):
        _state(config_path).with_name("state.db" + suffix).unlink(missing_ok=True)
    capsys.readouterr()


@pytest.mark.parametrize(("damage", "says"), [
    (_damage_pages, "is damaged"),
    (_damage_header, "is not a SQLite database"),
    (_foreign_file, "is not a SQLite database"),
])
@pytest.mark.parametrize("command", [["once"], ["check-config", "--offline"]])
def test_a_damaged_store_is_refused_with_the_way_out(config_path, capsys, damage, says, command):
    _run_once_then(config_path, damage, capsys)
    code = main([*command, "--config", str(config_path)])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert says in err and "syncd backfill" in err and str(_state(config_path)) in err
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1


def test_a_read_only_state_directory(config_path, capsys):
    _set_url(config_path, "sqlite:////sys/syncd-state/state.db")  # a read-only file system
    code = main(["once", "--config", str(config_path)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot be written" in err and "/sys/syncd-state" in err, err
    assert "Traceback" not in err


def test_a_state_url_naming_a_directory(config_path, capsys, tmp_path):
    (tmp_path / "adir").mkdir()
    _set_url(config_path, f"sqlite:///{tmp_path / 'adir'}")
    code = main(["once", "--config", str(config_path)])
    err = capsys.readouterr().err
    assert code in (2, 3) and "state store" in err and "Traceback" not in err, err


def _real_sqlite_error(tmp_path, kind: str) -> sa.exc.DBAPIError:
    """The very error SQLite raises when its disk is full or the database stays locked."""
    path = tmp_path / f"{kind}.db"
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x BLOB)")
    try:
        if kind == "full":
            with engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA max_page_count = 3")
                conn.exec_driver_sql("INSERT INTO t VALUES (zeroblob(100000))")
        else:
            holder = sqlite3.connect(path)
            holder.execute("BEGIN EXCLUSIVE")
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql("INSERT INTO t VALUES (x'00')")
            finally:
                holder.close()
    except sa.exc.DBAPIError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("SQLite did not fail")


@pytest.mark.parametrize(("kind", "code", "says"), [
    ("full", 3, "the disk is full"),
    ("locked", 3, "stayed locked by another process"),
])
def test_a_full_disk_or_a_lock_mid_cycle(config_path, capsys, monkeypatch, tmp_path, kind, code, says):
    error = _real_sqlite_error(tmp_path, kind)

    def failing_cycle(*args, **kwargs):
        raise error

    monkeypatch.setattr("syncd.runner.run_cycle", failing_cycle)
    assert main(["once", "--config", str(config_path)]) == code
    out, err = capsys.readouterr()
    assert says in err and "Traceback" not in out + err, err
    assert isinstance(store_problem(error), StoreProblem)


def test_an_unexpected_error_is_one_line_and_a_traceback_file(config_path, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SYNCD_CRASH_DIR", str(tmp_path / "crashes"))

    def failing_cycle(*args, **kwargs):
        return {}["no such key"]

    monkeypatch.setattr("syncd.runner.run_cycle", failing_cycle)
    assert main(["once", "--config", str(config_path)]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("syncd: unexpected error: KeyError")
    (crash,) = (tmp_path / "crashes").iterdir()
    assert str(crash) in lines[0] and "Traceback (most recent call last)" in crash.read_text()
    assert "Traceback" not in out  # the cycle.failed log line names the file instead
