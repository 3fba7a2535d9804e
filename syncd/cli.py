"""The ``syncd`` command line. Each sub-command lives in ``syncd.commands.<name>``.

A command module exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the parser default.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["build_parser", "main"]

COMMANDS: tuple[str, ...] = ("init", "run", "once", "plan", "backfill", "check_config", "status", "explain", "demo",
                             "sandbox", "healthcheck", "import_", "reconcile", "review")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncd", description="Keeps HubSpot and Salesforce in agreement about who is ready to buy.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"syncd.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
