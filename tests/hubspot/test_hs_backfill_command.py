"""``syncd backfill``: argument parsing and a run through the app's dependencies."""

from __future__ import annotations

import argparse
from datetime import timedelta
from types import SimpleNamespace

import pytest
import structlog

from syncd.clock import FixedClock
from syncd.commands import backfill


class AppStore(dict):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def load_cursor(self, stream):
        return self.get(stream)

    def save_cursor(self, stream, value):
        self[stream] = dict(value)

    def save_pull_batch(self, batch, *, now):
        self.events += [e.id for e in batch.events]
        return len(batch.events)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    backfill.register(parser.add_subparsers())
    return parser


def test_since_must_be_a_date():
    with pytest.raises(SystemExit):
        _parser().parse_args(["backfill", "--since", "last tuesday"])
    args = _parser().parse_args(["backfill", "--since", "2026-01-31"])
    assert args.since.isoformat() == "2026-01-31T00:00:00+00:00" and args.func is backfill.run


def test_the_command_backfills_into_the_store(portal, monkeypatch, tmp_path):
    store = AppStore()
    app = SimpleNamespace(hubspot=portal.connector(), store=store, clock=FixedClock(portal.clock.now()),
                          log=structlog.get_logger("test"), close=lambda: None,
                          rules=SimpleNamespace(hubspot_properties=lambda: ["email"]))
    monkeypatch.setattr("syncd.app.open_app", lambda path: app)
    portal.state.record_email_event("p1@example.com", "OPEN", campaign_id=1,
                                    occurred_at=portal.clock.now() - timedelta(days=2))
    since = (portal.clock.now() - timedelta(days=30)).date().isoformat()
    args = _parser().parse_args(["backfill", "--config", str(tmp_path / "c.toml"), "--since", since])
    assert args.func(args) == 0
    assert len(store.events) == 1 and store["backfill:contacts"]["done_until"] > 0
    assert "contacts" in store and "email_events" in store
