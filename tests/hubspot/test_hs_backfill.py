"""Backfill in checkpointed slices: complete, resumable after a crash without re-reading
finished slices, and continued exactly by the incremental cycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hs_portal import NOW, start_portal
from rich.progress import Progress

from connectors.hubspot.backfill import BACKFILL_STREAMS, run_backfill
from syncd_sandbox.world import build_world
from syncd.ports import PullBatch


SLICES = 11 * (len(BACKFILL_STREAMS) - 1) + 1


class MemoryStore:
    """An in-memory ``CursorStore``."""

    def __init__(self) -> None:
        self.values: dict[str, dict] = {}

    def load_cursor(self, stream: str):
        return self.values.get(stream)

    def save_cursor(self, stream: str, value) -> None:
        self.values[stream] = dict(value)


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
def seed():
    return build_world(seed=3, contacts=150, now=NOW).hubspot


def _spy(connector):
    reads, inner = [], connector.read_range

    def read_range(stream, cursor, since, until, **kw):
        reads.append((stream, since, until))
        return inner(stream, cursor, since, until, **kw)
    connector.read_range = read_range
    return reads


def _run(portal, store, connector, on_batch, progress=None):
    return run_backfill(connector, store, since=NOW - timedelta(days=300), now=portal.clock.now(),
                        on_batch=on_batch, slice_length=timedelta(days=30), progress=progress)


def test_backfill_reads_everything_once_and_hands_over_to_the_cycle(seed):
    portal, served = start_portal(seed)
    try:
        store, batches = MemoryStore(), []
        with Progress(disable=True) as progress:
            read = _run(portal, store, portal.connector(), batches.append, progress)
            assert progress.tasks[0].completed == progress.tasks[0].total == SLICES
        # Form submissions come newest first with no time filter: one pass, not 11.
        assert read == {s: 1 if s == "form_submissions" else 11 for s in BACKFILL_STREAMS}
        portal.emitted = [e.id for b in batches for e in b.events]
        assert portal.audit()["missed"] == portal.audit()["duplicated"] == 0
        assert len({c.id for b in batches for c in b.contacts}) == len(seed["contacts"])
        portal.cursors = {k: v for k, v in store.values.items() if not k.startswith("backfill:")}
        portal.tick(minutes=15)
        portal.state.record_email_event(seed["contacts"][0]["properties"]["email"], "OPEN", campaign_id=1)
        connector = portal.connector()
        portal.cycle(connector)
        result = portal.audit()
        assert result["missed"] == result["duplicated"] == result["unexpected"] == 0
    finally:
        served.shutdown()


def test_an_interrupted_backfill_resumes_without_rereading_finished_slices(seed):
    portal, served = start_portal(seed)
    try:
        full_store, full = MemoryStore(), portal.connector()
        _run(portal, full_store, full, lambda b: None)
        store, seen, first = MemoryStore(), [], portal.connector()
        first_reads = _spy(first)

        def crash_midway(batch: PullBatch) -> None:
            seen.extend(e.id for e in batch.events)
            if len(seen) > 1500:
                raise Crash  # like kill -9: nothing after this point runs
        with pytest.raises(Crash):
            _run(portal, store, first, crash_midway)
        finished = {k.removeprefix("backfill:"): v["done_until"] for k, v in store.values.items()
                    if k.startswith("backfill:")}
        second = portal.connector()
        second_reads = _spy(second)
        _run(portal, store, second, lambda b: seen.extend(e.id for e in b.events))
        assert finished and all(since >= finished.get(stream, 0) for stream, since, _ in second_reads)
        assert len(first_reads) + len(second_reads) == SLICES + 1  # the interrupted slice twice
        calls = first.usage().total + second.usage().total
        assert full.usage().total < calls <= full.usage().total + 40
        portal.emitted = list(dict.fromkeys(seen))  # the store dedupes the interrupted slice
        assert portal.audit()["missed"] == 0
        final = {k: v for k, v in store.values.items() if not k.startswith("backfill:")}
        assert final == {k: v for k, v in full_store.values.items() if not k.startswith("backfill:")}
    finally:
        served.shutdown()


def test_a_finished_backfill_run_again_reads_nothing(seed):
    portal, served = start_portal(seed)
    try:
        store = MemoryStore()
        _run(portal, store, portal.connector(), lambda b: None)
        again = portal.connector()
        assert _run(portal, store, again, lambda b: pytest.fail("nothing to read")) == {s: 0 for s in BACKFILL_STREAMS}
        assert again.usage().total == 0
    finally:
        served.shutdown()
