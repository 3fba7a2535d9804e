"""``syncd report``: sync health and the funnel, in the terminal and as an HTML page."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError


def _since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD or an ISO time)") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="sync health and the funnel (terminal, or --html FILE)")
    add_config_option(parser)
    parser.add_argument("--since", type=_since, metavar="D", help="only runs from this date (UTC)")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained HTML page")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.app import state_url
    from syncd.config import load_settings
    from syncd.report.build import build_report
    from syncd.report.html import render_html
    from syncd.report.terminal import print_report
    from syncd.store import open_store

    try:
        settings = load_settings(args.config)
    except SyncdError as exc:
        return report_failure(exc)
    store = open_store(state_url(settings), writer=False)  # beside a running daemon
    try:
        report = build_report(store.engine, settings.scoring, now=datetime.now(UTC), since=args.since)
    finally:
        store.close()
    print_report(report)
    if args.html:
        args.html.write_text(render_html(report), encoding="utf-8")
        print(f"HTML report: {args.html}")
    return 0
