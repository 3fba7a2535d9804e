"""``syncd demo``: the whole product on the built-in sandbox, in one command.

Starts the sandbox in-process with a seeded world, writes a config pointing at it (secrets
in files, as Docker secrets would be), and runs cycles: the first syncs everyone, the
second finds nothing changed and costs next to nothing, later ones follow the world as it
drifts (new engagement, a demo request, sales changing a Lead Status).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog

__all__ = ["DemoResult", "run_demo", "write_sandbox_config"]

DEFAULT_MAPPINGS = Path(__file__).resolve().parent / "default_mappings"
"""The mappings syncd ships (the repository's ``mappings/``, installed as package data)."""


@dataclass
class DemoResult:
    workdir: Path
    config_path: Path
    log_path: Path
    cycles: list[dict[str, Any]]
    salesforce_with_stage: dict[str, int]
    sandbox_stats: dict[str, Any]
    follow_ups: dict[str, dict[str, int]] = field(default_factory=dict)  # owner → SLA state → count


def write_sandbox_config(endpoints, workdir: Path, *, mappings: Path = DEFAULT_MAPPINGS,
                         state_url: str | None = None, drop_dir: Path | None = None) -> Path:
    """A config.toml for the sandbox's endpoints; secrets go to files beside it."""
    secrets = workdir / "secrets"
    secrets.mkdir(parents=True, exist_ok=True)
    for name, value in (("hubspot_token", endpoints.hubspot_token),
                        ("salesforce_client_id", endpoints.salesforce_client_id),
                        ("salesforce_client_secret", endpoints.salesforce_client_secret)):
        (secrets / name).write_text(value + "\n")
    state = state_url or f"sqlite:///{workdir / 'state.db'}"
    config = f"""# Written by `syncd demo`: points at the local sandbox.
[hubspot]
base_url = "{endpoints.hubspot_url}"
token_env = ""
token_file = "{secrets / 'hubspot_token'}"
rate_limit_per_10s = 190

[salesforce]
login_url = "{endpoints.salesforce_url}"
auth = "client_credentials"
client_id_env = ""
client_id_file = "{secrets / 'salesforce_client_id'}"
client_secret_env = ""
client_secret_file = "{secrets / 'salesforce_client_secret'}"
ca_bundle = "{endpoints.ca_bundle}"

[schedule]
interval_minutes = 1

[state]
url = "{state}"

[logging]
format = "json"
heartbeat_file = "{workdir / 'heartbeat'}"

[mappings]
dir = "{mappings}"
"""
    if drop_dir is not None:
        config += f'\n[offline]\ndrop_dir = "{drop_dir}"\n'
    path = workdir / "config.toml"
    path.write_text(config)
    return path


def run_demo(*, workdir: Path, contacts: int = 200, seed: int = 7, cycles: int = 3) -> DemoResult:
    from syncd.app import open_app
    from syncd.logs import configure_logging
    from syncd.runner import run_once
    from syncd.wiring import sandbox_runtime

    Sandbox, _ = sandbox_runtime()

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    log_path = workdir / "syncd.log"
    results = []
    with log_path.open("w") as log_file, Sandbox.start(seed=seed, contacts=contacts,
                                                       workdir=workdir / "sandbox") as sandbox:
        configure_logging(fmt="json", level="info", stream=log_file)
        config_path = write_sandbox_config(sandbox.endpoints, workdir, drop_dir=workdir / "drop")
        app = open_app(config_path)
        try:
            offline: dict[str, int] = {}
            for number in range(1, cycles + 1):
                if number >= 3:
                    sandbox.drift(number - 2)
                if number == 3:  # the world's offline files arrive with the third cycle
                    offline = _import_offline(app, workdir / "sandbox" / "offline", workdir / "drop")
                summary = run_once(app)
                results.append({"cycle": number, **summary.to_dict(), **dict.fromkeys(OFFLINE_KEYS, 0), **offline})
                offline = {}
            follow_ups = app.store.follow_up_stats()
        finally:
            app.close()
        org = sandbox.dump()["salesforce"]
        with_stage = _stage_coverage(org)
        owners = _follow_ups_by_owner(follow_ups, org)
        stats = sandbox.stats()
        structlog.reset_defaults()  # the log file closes here
    return DemoResult(workdir=workdir, config_path=config_path, log_path=log_path, cycles=results,
                      salesforce_with_stage=with_stage, sandbox_stats=stats, follow_ups=owners)


OFFLINE_KEYS = tuple(f"offline_{s}" for s in ("merged", "created", "review", "held", "duplicate", "rejected",
                                               "skipped", "failed"))


def _import_offline(app, files: Path, drop: Path) -> dict[str, int]:
    """Drop the sandbox's offline files and let syncd take them; outcomes per status."""
    from syncd.offline.job import run_drop_folder

    drop.mkdir(exist_ok=True)
    for path in sorted(files.iterdir()):
        shutil.copy(path, drop / path.name)
    totals: dict[str, int] = {}
    for summary in run_drop_folder(app):
        for key, value in summary.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[f"offline_{key}"] = totals.get(f"offline_{key}", 0) + value
    return totals


def _follow_ups_by_owner(follow_ups: list[dict[str, Any]], org: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per owner (by name): follow-ups by SLA state."""
    users = org["objects"].get("User", [])
    names = {u["Id"]: " ".join(x for x in (u.get("FirstName"), u.get("LastName")) if x) or u["Id"]
             for u in (users.values() if isinstance(users, dict) else users)}
    out: dict[str, dict[str, int]] = {}
    for f in follow_ups:
        row = out.setdefault(names.get(f["owner_id"], f["owner_id"]), {})
        row[f["status"]] = row.get(f["status"], 0) + 1
    return dict(sorted(out.items()))


def _stage_coverage(org: dict[str, Any]) -> dict[str, int]:
    """How many Leads and Contacts in the sandbox org carry a lifecycle stage from syncd."""
    return {name: sum(1 for r in org["objects"].get(name, [])
                      if r.get("Lifecycle_Stage__c") and r.get("HubSpot_Id__c"))
            for name in ("Lead", "Contact")}


def to_json(result: DemoResult) -> str:
    return json.dumps({"cycles": result.cycles, "salesforce_with_stage": result.salesforce_with_stage,
                       "follow_ups": result.follow_ups,
                       "state": str(result.workdir / "state.db"), "log": str(result.log_path)},
                      indent=2, default=str)
