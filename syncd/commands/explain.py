"""``syncd explain <hubspot-id|email>``: why a contact has its score, intent and stage."""

from __future__ import annotations

import argparse
import json

from syncd.commands._common import add_config_option, with_app


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("explain", help="show a contact's score breakdown, intent and stage history")
    add_config_option(parser)
    parser.add_argument("contact", help="HubSpot contact id or email address")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--offline", action="store_true",
                        help="do not ask Salesforce for the Lead Status / conversion facts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.explain import explain_contact

    def explain(app) -> int:
        report = explain_contact(app, args.contact, offline=args.offline)
        if report is None:
            print(f"syncd explain: no contact '{args.contact}' in the state store "
                  "(run a cycle first, or check the id / email)")
            return 1
        if args.json:
            print(json.dumps(report.to_json(), indent=2, default=str))
        else:
            report.print()
        return 0

    return with_app(args, explain, writer=False)
