"""Helpers shared by the sub-commands: the --config option and error reporting."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from syncd.errors import ConfigError, SyncdError

__all__ = ["add_config_option", "report_failure"]

EXIT_CONFIG = 2
EXIT_CONNECTOR = 3


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path(os.environ.get("SYNCD_CONFIG", "config.toml")),
                        help="path to config.toml (default: $SYNCD_CONFIG or ./config.toml)")


def report_failure(exc: SyncdError) -> int:
    """Print one clear paragraph to stderr and return the exit code for this kind of failure."""
    from syncd.runner import explain_error

    print(f"syncd: {explain_error(exc)}", file=sys.stderr)
    return EXIT_CONFIG if isinstance(exc, ConfigError) else EXIT_CONNECTOR
