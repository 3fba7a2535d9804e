"""For benchmarks that run the sandbox in its own process (`syncd sandbox`): start it, lift
its HubSpot rate limits and write the config.toml that points syncd at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYNCD = Path(sys.executable).with_name("syncd")


def start_sandbox(work: Path, contacts: int, seed: int, activity: float = 1.0) -> tuple[subprocess.Popen, dict]:
    """``syncd sandbox`` in its own process with its files in ``work``; (process, its ports
    file) once it answers. Building a large world takes a while: up to 120 s, or a second per
    500 contacts beyond that; a sandbox that exits or does not start in time ends the run."""
    ports = work / "ports.json"
    ports.unlink(missing_ok=True)  # a kept folder of an earlier run
    log = open(work / "sandbox.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([str(SYNCD), "sandbox", "--seed", str(seed), "--contacts", str(contacts),
                             "--activity", str(activity), "--workdir", str(work / "sbx"), "--port-file", str(ports)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + max(120, contacts / 500)
    while not (ports.exists() and ports.stat().st_size):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            sys.exit(f"the sandbox did not start: {(work / 'sandbox.log').read_text()[-400:]}")
        time.sleep(0.5)
    return proc, json.loads(ports.read_text())


def syncd_env(ports: dict) -> dict[str, str]:
    """This environment with the secrets of the sandbox whose ports file is ``ports``, under
    the names ``write_config`` gives."""
    return {**os.environ, "SYNCD_HUBSPOT_TOKEN": ports["hubspot_token"],
            "SYNCD_SALESFORCE_CLIENT_ID": ports["salesforce_client_id"],
            "SYNCD_SALESFORCE_CLIENT_SECRET": ports["salesforce_client_secret"]}


def lift_limits(admin_url: str) -> None:
    """The sandbox's HubSpot answers without rate limits (syncd's own limits are raised to match)."""
    body = json.dumps({"rate_limit_per_10s": None, "search_per_second": None}).encode()
    req = urllib.request.Request(f"{admin_url}/settings/hubspot", data=body, method="PATCH",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).read()


def sandbox_stats(admin_url: str) -> dict:
    """The sandbox's call accounting: per system, calls by endpoint and by status."""
    with urllib.request.urlopen(f"{admin_url}/stats", timeout=30) as answer:
        return json.loads(answer.read())


def write_config(work: Path, ports: dict, state_url: str | None = None,
                 limits: tuple[int, int] = (1000, 50)) -> Path:
    """config.toml in ``work`` for the sandbox whose ports file is ``ports``; ``limits``: syncd's
    HubSpot calls per 10 s and searches per second (raised by default, for a lifted sandbox)."""
    ca = ports["ca_bundle"] if os.path.isabs(ports["ca_bundle"]) else str(ROOT / ports["ca_bundle"])
    config = work / "config.toml"
    config.write_text(f'''[hubspot]
base_url = "{ports['hubspot_url']}"
token_env = "SYNCD_HUBSPOT_TOKEN"
rate_limit_per_10s = {limits[0]}
search_per_second = {limits[1]}
[salesforce]
login_url = "{ports['salesforce_url']}"
client_id_env = "SYNCD_SALESFORCE_CLIENT_ID"
client_secret_env = "SYNCD_SALESFORCE_CLIENT_SECRET"
ca_bundle = "{ca}"
[schedule]
interval_minutes = 1
[state]
url = "{state_url or f'sqlite:///{work / "state.db"}'}"
[logging]
format = "json"
heartbeat_file = "{work / 'heartbeat'}"
[mappings]
dir = "{ROOT / 'mappings'}"
''')
    return config


def print_rows(rows: list[tuple[str, str]]) -> None:
    """A benchmark's report: one ``name  value`` line per row, the values aligned."""
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
