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
    from syncd.store.problems import check_integrity
    from syncd.textsafe import printable

    def check(app) -> int:
        check_integrity(app.store.engine)  # a damaged state.db fails here, not mid-cycle
        if not args.offline:
            for warning in preflight(app):
                print(f"warning: {printable(warning.render())}")
        where = "" if args.offline else " and match the Salesforce schema"
        print(f"{printable(args.config)}: configuration, mappings and state store are valid{where}.")
        return 0

    return with_app(args, check, writer=False)
