"""``syncd backfill``: read HubSpot's history into the state store, resumably."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from syncd.commands._common import add_config_option, report_failure
from syncd.errors import SyncdError

DEFAULT_DAYS = 365


def _date(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since {text!r}: use a date such as 2025-01-31 "
                                         "or 2025-01-31T00:00:00Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backfill", help="read HubSpot history into the state store "
                                             "(resumable; finished slices are never re-read)")
    add_config_option(parser)
    parser.add_argument("--since", type=_date, default=None,
                        help=f"oldest change to read (UTC date; default {DEFAULT_DAYS} days ago)")
    parser.add_argument("--slice-days", type=int, default=7, help="days per checkpointed slice")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from syncd.app import open_app

    if args.slice_days < 1:
        print("syncd: --slice-days must be at least 1", file=sys.stderr)
        return 2
    app = None
    try:
        app = open_app(args.config)
        now = app.clock.now()
        since = args.since or now - timedelta(days=DEFAULT_DAYS)
        properties = app.rules.hubspot_properties()
        with Progress(transient=False) as progress:
            read = app.hubspot.backfill(app.store, since=since, now=now, progress=progress,
                                on_batch=lambda batch: app.store.save_pull_batch(batch, now=now),
                                slice_length=timedelta(days=args.slice_days), properties=properties)
        app.log.info("backfill.done", slices=read, calls=dict(app.hubspot.usage().calls))
    except SyncdError as exc:
        return report_failure(exc)
    except ValueError as exc:  # e.g. --since in the future
        print(f"syncd: {exc}", file=sys.stderr)
        return 2
    finally:
        if app is not None:
            app.close()
    return 0
