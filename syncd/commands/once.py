"""``syncd once``: take the drop folder's offline files (when configured), run one cycle
and exit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from syncd.commands._common import add_config_option, with_app


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("once", help="run one sync cycle and exit")
    add_config_option(parser)
    parser.add_argument("--summary-json", type=Path, help="write the cycle summary to this file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.runner import run_once

    def once(app) -> int:
        if app.config.offline.drop_dir is not None:  # offline files waiting: taken before the cycle
            from syncd.offline.job import run_drop_folder

            run_drop_folder(app)
        summary = run_once(app)
        if args.summary_json:
            args.summary_json.write_text(json.dumps(summary.to_dict(), indent=2, default=str))
        return 0

    return with_app(args, once, logs=True)
