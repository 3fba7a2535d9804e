"""``syncd healthcheck``: exit 0 while the daemon's heartbeat file is fresh (container HEALTHCHECK)."""

from __future__ import annotations

import argparse
import sys
import time

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("healthcheck", help="check the daemon's heartbeat (no API call)")
    add_config_option(parser)
    parser.add_argument("--max-age", type=float, default=120.0, help="seconds (default 120)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.config import load_config

    try:
        config = load_config(args.config)
    except SyncdError as exc:
        return report_failure(exc)
    path = config.logging.heartbeat_file
    if not path.is_absolute():
        path = (args.config.parent / path).resolve()
    try:
        age = time.time() - float(path.read_text().strip())
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat at {path}", file=sys.stderr)
        return 1
    if age > args.max_age:
        print(f"unhealthy: last heartbeat {age:.0f}s ago (limit {args.max_age:.0f}s)", file=sys.stderr)
        return 1
    print(f"healthy: heartbeat {age:.0f}s ago")
    return 0
