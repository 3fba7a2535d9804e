"""``syncd once``: run one cycle and exit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("once", help="run one sync cycle and exit")
    add_config_option(parser)
    parser.add_argument("--summary-json", type=Path, help="write the cycle summary to this file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.app import open_app
    from syncd.logs import configure_logging
    from syncd.runner import run_once

    app = None
    try:
        app = open_app(args.config)
        configure_logging(fmt=app.config.logging.format, level=app.config.logging.level)
        summary = run_once(app)
    except SyncdError as exc:
        return report_failure(exc)
    finally:
        if app is not None:
            app.close()
    if args.summary_json:
        args.summary_json.write_text(json.dumps(summary.to_dict(), indent=2, default=str))
    return 0
