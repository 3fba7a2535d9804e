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
                             "sandbox", "healthcheck", "audit", "report", "import_", "reconcile", "review")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncd", description="Keeps HubSpot and Salesforce in agreement about who is ready to buy.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"syncd.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. Failures syncd understands print one paragraph (exit 2: fix
    something; 3: try again later); anything else prints one line and where its traceback
    was written (exit 1), never a traceback."""
    from syncd.heap import limit_malloc_arenas

    limit_malloc_arenas()  # before any thread starts
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        return _failed(exc)


def _failed(exc: Exception) -> int:
    from syncd.commands._common import report_failure
    from syncd.crash import one_line, record_crash
    from syncd.errors import SyncdError
    from syncd.store.problems import store_problem

    known = exc if isinstance(exc, SyncdError) else store_problem(exc)
    if known is not None:
        return report_failure(known)
    where = record_crash(exc)
    told = f"the full traceback is in {where}" if where else "no traceback could be written"
    print(f"syncd: unexpected error: {one_line(exc)} ({told}; please report it)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
