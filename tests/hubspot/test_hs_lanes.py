"""The engagement streams read in two lanes side by side (search-limited beside the general
window) give exactly what one stream after the other gives: the same events, contacts and
cursors; only the order of the batches and the threads differ."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

from hs_portal import start_portal
from hs_scenario import burst_seed, churn


def _pulled(lanes: bool):
    seed = burst_seed(contacts=400, burst=0, activity=0.6)
    portal, served = start_portal(seed)
    try:
        connector = portal.connector(stream_lanes=lanes)
        threads: dict[str, set[str]] = {}
        real = connector.api._call

        def call(endpoint, fn, **kw):
            threads.setdefault(endpoint, set()).add(threading.current_thread().name)
            return real(endpoint, fn, **kw)
        connector.api._call = call
        first = portal.cycle(connector)
        portal.tick(minutes=15)
        churn(portal.state, random.Random(3), events=120)
        portal.tick(seconds=2)
        second = portal.cycle(connector)
        batches = first + second
        return ({"events": sorted(e.id for b in batches for e in b.events),
                 "contacts": sorted(c.id for b in batches for c in b.contacts),
                 "cursors": portal.cursors, "audit": portal.audit()}, threads)
    finally:
        served.shutdown()


def test_lanes_read_the_search_streams_on_a_thread_of_their_own_and_change_nothing_else():
    together, threads = _pulled(lanes=True)
    in_turn, single = _pulled(lanes=False)
    assert together == in_turn
    assert together["audit"]["duplicated"] == 0
    assert len(together["events"]) > 1000
    search = {t for e, names in threads.items() if e.endswith("/search") and "contacts" not in e for t in names}
    general = {t for e, names in threads.items() if "email/public" in e or "form-integrations" in e for t in names}
    assert search and general and search.isdisjoint(general)  # two lanes, two threads
    assert len({t for names in single.values() for t in names}) == 1  # lanes off: one thread


def test_the_search_lane_starts_while_the_contacts_are_still_being_read():
    portal, served = start_portal(burst_seed(contacts=400, burst=0, activity=0.6))
    try:
        connector = portal.connector(stream_lanes=True, search_page_size=100)
        order, searched = [], threading.Event()
        real = connector.api._call

        def call(endpoint, fn, **kw):
            engagement_search = endpoint.endswith("/search") and "/objects/contacts" not in endpoint
            contacts = "/objects/contacts" in endpoint
            if contacts and order.count("contacts") == 2:
                searched.wait(10)  # the third page of contacts waits for the search lane to begin
            order.append("search" if engagement_search else "contacts" if contacts else "other")
            if engagement_search:
                searched.set()
            return real(endpoint, fn, **kw)
        connector.api._call = call
        portal.cycle(connector)
        last_contacts = max(n for n, kind in enumerate(order) if kind == "contacts")
        assert order.index("search") < last_contacts
    finally:
        served.shutdown()
