"""``syncd audit``: compare Salesforce with syncd's memory of it once, re-queue the drift."""

from __future__ import annotations

import argparse
import json

from syncd.commands._common import add_config_option, with_app


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="find records edited or deleted behind syncd's back, "
                                          "and duplicates; re-queue them (what the nightly job does)")
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.audit import run_audit

    def audit(app) -> int:
        result = run_audit(app.salesforce, app.store.engine, app.settings.fields)
        report = result.to_dict()
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            _print(report)
        return 0

    return with_app(args, audit)


def _print(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Audit: Salesforce against syncd's id map and last written values")
    table.add_column("drift")
    table.add_column("records", justify="right")
    table.add_column("examples (Salesforce id / HubSpot id)")
    for kind, count in report["drift"].items():
        examples = ", ".join(f"{e['record']}/{e['hubspot_id']}" for e in report["examples"][kind][:3])
        table.add_row(kind, str(count), examples)
    console = Console()
    console.print(table)
    records = ", ".join(f"{k} {v}" for k, v in report["salesforce_records"].items())
    console.print(f"Records carrying syncd's id: {records or 'none'}; linked in the id map: "
                  f"{report['linked']}; contacts re-queued: {report['requeued']}")
