"""The acceptance scenario, scaled down: backfill, then cycles while the portal changes,
with bursts past the (lowered) search cap and late events: 0 missed, 0 duplicated."""

from __future__ import annotations

import random
from datetime import timedelta

from hs_portal import start_portal
from hs_scenario import NOW, burst_seed, churn

from connectors.hubspot.backfill import run_backfill


class MemoryStore(dict):
    def load_cursor(self, stream):
        return self.get(stream)

    def save_cursor(self, stream, value):
        self[stream] = dict(value)


def test_backfill_then_changing_cycles_emit_every_event_exactly_once():
    seed = burst_seed(contacts=3000, burst=1200, activity=0.2)
    portal, served = start_portal(seed, search_total_cap=500)
    try:
        store, emitted = MemoryStore(), []
        contacts: set[str] = set()

        def keep(batch):
            emitted.extend(e.id for e in batch.events)
            contacts.update(c.id for c in batch.contacts)
        run_backfill(portal.connector(), store, since=NOW - timedelta(days=800), now=NOW,
                     on_batch=keep, slice_length=timedelta(days=30))
        assert len(contacts) == len(seed["contacts"]) > 3000  # some people signed up twice
        portal.emitted, portal.cursors = emitted, {k: v for k, v in store.items() if ":" not in k}
        rng, connector = random.Random(5), portal.connector()
        for step in range(4):
            portal.tick(minutes=15)
            churn(portal.state, rng, events=150, burst=1200 if step == 1 else 10)
            portal.tick(seconds=2)
            portal.cycle(connector)
        portal.tick(minutes=60)  # nothing changes; the late-window sweep owed is due
        portal.cycle(connector)
        result = portal.audit()
        assert result["missed"] == 0 and result["duplicated"] == 0 and result["unexpected"] == 0
        portal.tick(minutes=15)
        before = connector.usage().total
        portal.cycle(connector)
        assert connector.usage().total - before <= 2
    finally:
        served.shutdown()
