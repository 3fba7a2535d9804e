"""``syncd run``: the daemon (cycles on the configured interval until SIGTERM/SIGINT)."""

from __future__ import annotations

import argparse

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the daemon: a cycle every schedule.interval_minutes")
    add_config_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.app import open_app
    from syncd.daemon import Daemon
    from syncd.heap import freeze_startup
    from syncd.logs import configure_logging

    try:
        app = open_app(args.config, standby=True)
    except SyncdError as exc:
        return report_failure(exc)
    configure_logging(fmt=app.config.logging.format, level=app.config.logging.level)
    freeze_startup()  # what start-up built lives as long as the daemon
    try:
        Daemon(app).serve()
    finally:
        app.close()
    return 0
