"""``syncd check-config``: validate config.toml and the mappings, optionally against Salesforce."""

from __future__ import annotations

import argparse

from syncd.commands._common import add_config_option, with_app


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check-config", help="validate config.toml and mappings/")
    add_config_option(parser)
    parser.add_argument("--offline", action="store_true",
                        help="do not check the mapping against the live Salesforce schema")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.runner import preflight

    def check(app) -> int:
        if not args.offline:
            preflight(app)
        where = "" if args.offline else " and match the Salesforce schema"
        print(f"{args.config}: configuration and mappings are valid{where}.")
        return 0

    return with_app(args, check, writer=False)
