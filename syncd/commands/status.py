"""``syncd status``: last runs, cursors and pending work, read from the state store only."""

from __future__ import annotations

import argparse
import json

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("status", help="show last runs, cursors and pending work")
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.app import state_url
    from syncd.config import load_settings
    from syncd.store import open_store

    try:
        settings = load_settings(args.config)
    except SyncdError as exc:
        return report_failure(exc)
    store = open_store(state_url(settings), writer=False)
    try:
        status = {"runs": store.last_runs(10), "cursors": store.load_cursors(),
                  "pending": store.count_pending(), "counts": store.counts()}
    finally:
        store.close()
    if args.json:
        print(json.dumps(status, indent=2, default=str))
    else:
        _print_tables(status)
    return 0


def _print_tables(status: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    runs = Table(title="Last runs")
    for col in ("run", "started", "status", "pulled", "created", "updated", "rejected", "review",
                "API calls"):
        runs.add_column(col)
    for r in status["runs"]:
        s = r["summary"] or {}
        calls = ", ".join(f"{k} {v}" for k, v in (s.get("api_calls") or {}).items())
        runs.add_row(r["run_id"], f"{r['started_at']:%Y-%m-%d %H:%M:%S}", r["status"],
                     *(str(s.get(k, "")) for k in ("pulled", "created", "updated", "rejected", "review")),
                     calls or (r["error"] or "")[:60])
    console.print(runs)
    cursors = Table(title="Cursors")
    cursors.add_column("stream")
    cursors.add_column("value")
    for name, value in sorted(status["cursors"].items()):
        cursors.add_row(name, json.dumps(value, default=str)[:100])
    console.print(cursors)
    console.print(f"Pending contacts: {status['pending']}   " +
                  "   ".join(f"{k}: {v}" for k, v in status["counts"].items()))
