"""``syncd healthcheck``: exit 0 while the daemon's heartbeat file is fresh (container HEALTHCHECK).

The heartbeat file's first line is the time of the last beat; the second, what the daemon
is doing (``syncd.pacing.Pacer.status``). Waiting for a spent API budget is healthy and said
so; a cycle running past its timeout while the scheduler still beats is a hung cycle.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime

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
        first, _, rest = path.read_text().partition("\n")
        age = time.time() - float(first.strip())
        status = json.loads(rest) if rest.strip() else {}
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat at {path}", file=sys.stderr)
        return 1
    if age > args.max_age:
        print(f"unhealthy: last heartbeat {age:.0f}s ago (limit {args.max_age:.0f}s): the daemon "
              "is not running or its scheduler is stuck", file=sys.stderr)
        return 1
    return _judge(status, age, run_timeout=config.schedule.run_timeout_minutes * 60)


def _judge(status: dict, age: float, *, run_timeout: float) -> int:
    state = status.get("state") or "idle"
    if state == "cycle" and status.get("cycle_started"):
        running = (datetime.now(UTC) - datetime.fromisoformat(status["cycle_started"])).total_seconds()
        if running > run_timeout + 120:
            print(f"unhealthy: a cycle has been running for {running / 60:.0f} min, past its "
                  f"timeout ({run_timeout / 60:.0f} min): it is hung", file=sys.stderr)
            return 1
    if state == "waiting for API budget":
        limit = f" ({status['limit']})" if status.get("limit") else ""
        print(f"healthy: waiting for API budget{limit} until {status.get('until')}; "
              f"heartbeat {age:.0f}s ago")
        return 0
    print(f"healthy: {state}; heartbeat {age:.0f}s ago")
    return 0
