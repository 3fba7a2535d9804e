"""Helpers shared by the sub-commands: the --config option and error reporting."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from syncd.errors import ConfigError, SyncdError

__all__ = ["add_config_option", "report_failure", "with_app"]

EXIT_CONFIG = 2
EXIT_CONNECTOR = 3


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path(os.environ.get("SYNCD_CONFIG", "config.toml")),
                        help="path to config.toml (default: $SYNCD_CONFIG or ./config.toml)")


def report_failure(exc: SyncdError) -> int:
    """Print one clear paragraph to stderr and return the exit code for this kind of failure."""
    from syncd.runner import explain_error
    from syncd.textsafe import printable

    print(f"syncd: {printable(explain_error(exc), lines=True)}", file=sys.stderr)
    code = getattr(exc, "exit_code", None)  # e.g. the store held by another process: 2
    if code is not None:
        return int(code)
    return EXIT_CONFIG if isinstance(exc, ConfigError) else EXIT_CONNECTOR


def with_app(args: argparse.Namespace, body: Callable[[Any], int], *, logs: bool = False,
             writer: bool = True) -> int:
    """Open the app from ``--config``, run ``body(app)``, close it; a ``SyncdError`` from
    either becomes one clear paragraph and the matching exit code. ``logs`` sends the
    JSON log lines to stdout (a cycle), else to stderr. ``writer``: the command changes the
    state store, so it must be its one writer (see ``syncd.store.guard``)."""
    from syncd.app import open_app
    from syncd.heap import freeze_startup
    from syncd.logs import configure_logging

    app = None
    try:
        app = open_app(args.config, writer=writer)
        # a cycle's log is the product's output (stdout); other commands print a report there
        configure_logging(fmt=app.config.logging.format, level=app.config.logging.level,
                          stream=None if logs else sys.stderr)
        if logs:  # a cycle: what start-up built lives as long as the process
            freeze_startup()
        return body(app)
    except SyncdError as exc:
        return report_failure(exc)
    finally:
        if app is not None:
            app.close()
