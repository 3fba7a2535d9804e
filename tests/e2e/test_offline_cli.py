"""``syncd import FILE`` into the state store, ``syncd review``, and a refused file in the
drop folder, on the sandbox."""

from __future__ import annotations

import json

from syncd.app import open_app
from syncd.cli import main
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd.offline.job import run_drop_folder
from syncd.runner import run_once


def test_import_then_review_from_the_command_line(sandbox, tmp_path, capsys):
    config = write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS)
    app = open_app(config)
    try:
        run_once(app)
    finally:
        app.close()
    files = tmp_path / "sandbox" / "offline"
    report = tmp_path / "report.json"
    for path in sorted(files.iterdir()):
        assert main(["import", str(path), "--config", str(config), "--report-json", str(report)]) == 0
        lines = json.loads(report.read_text())["lines"]
        assert all(line["status"] for line in lines)
    out = capsys.readouterr().out
    assert "in the state store:" in out and "merged" in out
    assert main(["import", str(files / "business-cards-latin1.csv"), "--config", str(config)]) == 0
    assert "imported before" in capsys.readouterr().out

    assert main(["review", "list", "--config", str(config)]) == 0
    listing = capsys.readouterr().out
    offline = [line.split("\t")[0] for line in listing.splitlines() if line.startswith("offline:")]
    assert offline, listing
    assert main(["review", "show", offline[0], "--config", str(config)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["record"] and shown["candidates"]
    assert main(["review", "accept", offline[0], "--config", str(config), "--target", "nobody"]) == 1
    assert "not a candidate" in capsys.readouterr().err
    target = next(iter(shown["candidates"]))
    assert main(["review", "accept", offline[0], "--config", str(config), "--target", target]) == 0
    assert "accepted" in capsys.readouterr().out
    assert main(["review", "reject", offline[0], "--config", str(config)]) == 1  # decided: gone from the queue
    assert "no review item" in capsys.readouterr().err
    assert main(["review", "list", "--config", str(config)]) == 0
    assert offline[0] not in capsys.readouterr().out


def test_a_refused_file_goes_to_failed_with_its_reason(sandbox, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "notes.csv").write_bytes(b"\x00\x01binary")
    (drop / "readme.md").write_text("not an offline file")
    config = write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS, drop_dir=drop)
    app = open_app(config)
    try:
        (summary,) = run_drop_folder(app)
    finally:
        app.close()
    assert summary["file"] == "notes.csv" and summary["error"]
    assert (drop / "failed" / "notes.csv").exists() and not (drop / "notes.csv").exists()
    assert json.loads((drop / "failed" / "notes.csv.report.json").read_text())["error"] == summary["error"]
    assert (drop / "readme.md").exists()  # not a kind of file syncd takes


def test_syncd_once_takes_the_drop_folder_before_its_cycle(sandbox, tmp_path, capsys):
    drop = tmp_path / "drop"
    drop.mkdir()
    name = "tradeshow-saastr-" + next(n for n in sandbox.world.offline_files if n.startswith("tradeshow"))[17:]
    (drop / name).write_bytes(sandbox.world.offline_files[name])
    config = write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS, drop_dir=drop)
    assert main(["once", "--config", str(config)]) == 0
    capsys.readouterr()
    assert (drop / "done" / name).exists()
    report = json.loads((drop / "done" / f"{name}.report.json").read_text())
    assert report["mapping"]["origin"].endswith("tradeshow.toml")
    app = open_app(config)
    try:
        assert app.store.offline_files()[0]["name"] == name
        assert app.store.count_pending() == 0  # the same cycle wrote the imported people
    finally:
        app.close()
