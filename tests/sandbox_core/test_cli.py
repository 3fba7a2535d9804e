"""``syncd sandbox`` as a user runs it: a process, a port file, both APIs, SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from syncd_sandbox.runtime import Endpoints
from syncd import cli

from .clients import hubspot_client, salesforce_client

# The sub-command through the real CLI once it is registered there, else through its
# own register() with the same argument parsing.
_HARNESS = ("import argparse, sys; from syncd.commands.sandbox import register; "
            "p = argparse.ArgumentParser(prog='syncd'); register(p.add_subparsers()); "
            "a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))")
ENTRY = (["-m", "syncd.cli"] if "sandbox" in cli.COMMANDS else ["-c", _HARNESS])


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return path.read_text()
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.05)  # polling a file another process writes; no clock to inject
    raise AssertionError(f"{path} did not appear within {seconds} s")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serves_both_apis_and_stops_cleanly_on_a_signal(tmp_path: Path, signum) -> None:
    port_file = tmp_path / "run" / "endpoints.json"
    process = subprocess.Popen(
        [sys.executable, *ENTRY, "sandbox", "--seed", "5", "--contacts", "30",
         "--now", "2026-11-02T09:30:00+00:00", "--workdir", str(tmp_path / "work"),
         "--port-file", str(port_file), "--faults", "salesforce:*:latency=1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = _wait_for(port_file, process)
        endpoints = Endpoints(**json.loads(line))
        assert process.stdout.readline() == line
        page = hubspot_client(endpoints).crm.contacts.basic_api.get_page(limit=3)
        assert len(page.results) == 3
        assert salesforce_client(endpoints).query("SELECT Id FROM Contact LIMIT 2")["totalSize"] == 2
        stats = requests.get(f"{endpoints.admin_url}/stats", timeout=5).json()
        assert stats["systems"]["hubspot"]["calls"] == 1
        assert (tmp_path / "work" / "offline").is_dir()
        process.send_signal(signum)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_without_workdir_the_temporary_directory_is_removed_on_exit(tmp_path: Path) -> None:
    port_file = tmp_path / "endpoints.json"
    process = subprocess.Popen([sys.executable, *ENTRY, "sandbox", "--contacts", "5",
                                "--port-file", str(port_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ca_bundle = Path(json.loads(_wait_for(port_file, process))["ca_bundle"])
        assert ca_bundle.is_file() and (ca_bundle.parent / "offline").is_dir()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert not ca_bundle.parent.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_bad_fault_spec_exits_2_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, *ENTRY, "sandbox", "--workdir", str(tmp_path), "--contacts", "5",
         "--faults", "hubspot:*:status=404"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert 'faults item 1 "hubspot:*:status=404": status must be one of 429' in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(("argv", "message"), [
    (["--now", "2026-11-02T09:30:00"], "needs a UTC offset, e.g. 2026-11-02T09:30:00+00:00"),
    (["--now", "yesterday"], "not an ISO 8601 time: 'yesterday'"),
    (["--contacts", "0"], "must be at least 1, found 0"),
    (["--activity", "0"], "must be more than 0, found 0"),
    (["--activity", "lots"], "not a number: 'lots'"),
    (["--admin-port", "70000"], "must be a port from 0 to 65535, found 70000"),
])
def test_bad_arguments_are_refused_with_the_reason(argv, message, capsys) -> None:
    import argparse

    from syncd.commands.sandbox import register

    parser = argparse.ArgumentParser(prog="syncd")
    register(parser.add_subparsers())
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["sandbox", *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_activity_scales_the_served_world(tmp_path: Path) -> None:
    """``--activity`` reaches the world the sandbox serves (a lighter one for large runs)."""
    from syncd_sandbox.runtime import Sandbox

    counts = []
    for activity in (1.0, 0.25):
        with Sandbox.start(seed=3, contacts=60, activity=activity, workdir=tmp_path / str(activity)) as sandbox:
            counts.append(len(sandbox.hubspot_state.email_events) + len(sandbox.hubspot_state.events))
    assert counts[1] < counts[0] / 2
