"""``syncd plan``: the writes the next cycle would make, without making them."""

from __future__ import annotations

import argparse
import json

from syncd.commands._common import add_config_option, with_app


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("plan", help="show the writes the next cycle would make (record fields old → new, "
                                         "tasks, HubSpot properties) without making them")
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uuid

    from syncd.sync.cycle import plan_cycle
    from syncd.sync.render import render_effects

    def plan(app) -> int:
        plans = plan_cycle(app.deps(), run_id=f"plan-{uuid.uuid4().hex[:8]}")
        rendered = render_effects(e for p in plans for e in p.effects)
        rendered["review"] = sorted(p.person.id for p in plans if p.person.decision.action == "review")
        if args.json:
            print(json.dumps(rendered, indent=2, default=str, sort_keys=True))
        else:
            _print(rendered)
        return 0

    return with_app(args, plan)


def _print(plan: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="syncd plan: the next cycle's writes")
    for col in ("system", "object", "action", "contact", "field", "old", "new", "rule"):
        table.add_column(col)
    for row in plan["records"]:
        for field, change in row["fields"].items():
            table.add_row("Salesforce", row["object"], row["action"], row["hubspot_id"], field,
                          _short(change["old"]), _short(change["new"]), change["rule"])
    for row in plan["tasks"]:
        table.add_row("Salesforce", "Task", "create", row["hubspot_id"], "Subject", "",
                      _short(row["fields"].get("Subject")), f"owner {row['fields'].get('OwnerId')}")
    for row in plan["hubspot"]:
        for prop, change in row["properties"].items():
            how = "clear, then set" if prop in row["clear_first"] else "update"
            table.add_row("HubSpot", "contact", how, row["hubspot_id"], prop, _short(change["old"]),
                          _short(change["new"]), change["rule"])
    Console().print(table)
    print(f"{len(plan['records'])} record writes, {len(plan['tasks'])} tasks, {len(plan['hubspot'])} HubSpot "
          f"updates; {len(plan['review'])} contacts wait in review.")


def _short(value: object, width: int = 40) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= width else text[:width - 1] + "…"
