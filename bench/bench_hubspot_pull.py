"""Benchmark of the HubSpot pull against the emulator: backfill of a large portal, then
incremental cycles while the portal changes; prints calls per 1,000 changed contacts,
calls per 1,000 events per stream, backfill wall time and peak memory, and the
completeness check (0 missed / 0 duplicated, asserted).

    .venv/bin/python bench/bench_hubspot_pull.py [--contacts 50000]

The emulator runs in a child process (rate limits off), so the peak memory reported is
the connector's process alone.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import random
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "hubspot"))

import structlog  # noqa: E402

from connectors.hubspot import HubSpotClientSettings, HubSpotConnector  # noqa: E402
from connectors.hubspot.backfill import run_backfill  # noqa: E402

TOKEN = "sandbox-hubspot-token"
FLOOR = {"POST /crm/v3/objects/contacts/search": 200, "GET /email/public/v1/events": 1000,
         "GET /events/v3/events": 1000, "GET /form-integrations/v1/submissions/forms/{formGuid}": 50,
         **{f"POST /crm/v3/objects/{t}/search": 200 for t in ("emails", "calls", "meetings", "notes")},
         **{f"POST /crm/v4/associations/{t}/contacts/batch/read": 1000
            for t in ("emails", "calls", "meetings", "notes")}}
STREAM_OF = {"email_events": ["GET /email/public/v1/events"], "events": ["GET /events/v3/events"],
             "form_submissions": ["GET /form-integrations/v1/submissions/forms/{formGuid}"],
             **{t: [f"POST /crm/v3/objects/{t}/search", f"POST /crm/v4/associations/{t}/contacts/batch/read"]
                for t in ("emails", "calls", "meetings", "notes")}}


# -- the emulator process ---------------------------------------------------------------------
def portal_process(conn, contacts: int, burst: int, activity: float) -> None:
    from hs_scenario import NOW, burst_seed, churn, event_count

    from connectors.hubspot.expected import audit
    from syncd_sandbox.hubspot import HubSpotSettings, HubSpotState, create_app
    from syncd_sandbox.server import serve
    from syncd.clock import FixedClock

    clock = FixedClock(NOW)
    seed = burst_seed(contacts=contacts, burst=burst, activity=activity)
    state = HubSpotState.from_seed(seed, clock=clock)
    served = serve(create_app(state, HubSpotSettings(rate_limit_per_10s=None, daily_limit=None,
                                                     search_per_second=None)))
    conn.send({"url": served.url, "contacts": len(seed["contacts"]), "events": event_count(seed)})
    del seed
    emitted: list[str] = []
    rng = random.Random(7)
    while True:
        cmd, arg = conn.recv()
        if cmd == "emit":
            emitted.extend(arg)
        elif cmd == "tick":
            clock.advance(timedelta(seconds=arg))
        elif cmd == "churn":  # real traffic: one millisecond between events
            conn.send(churn(state, rng, **arg, tick=lambda: clock.advance(timedelta(milliseconds=1))))
        elif cmd == "touch":  # change contacts only (no engagement)
            with state.lock:
                ids = [r.id for r in state.contacts.records.values() if not r.archived][:arg]
            for cid in ids:
                state.upsert_contact({"jobtitle": f"t{clock.now().isoformat()}"}, id=cid)
            conn.send(len(ids))
        elif cmd == "audit":
            conn.send(audit(emitted, state.dump()))
        elif cmd == "stop":
            served.shutdown()
            conn.send("bye")
            return


class Portal:
    def __init__(self, **kw) -> None:
        self.conn, child = mp.Pipe()
        self.proc = mp.get_context("fork").Process(target=portal_process, args=(child,), kwargs=kw, daemon=True)
        self.proc.start()
        self.info = self.conn.recv()
        self.now = __import__("hs_scenario").NOW

    def ask(self, cmd: str, arg=None):
        self.conn.send((cmd, arg))
        return self.conn.recv()

    def tell(self, cmd: str, arg=None) -> None:
        if cmd == "tick":
            self.now += timedelta(seconds=arg)
        self.conn.send((cmd, arg))


class Store(dict):
    def load_cursor(self, stream):
        return self.get(stream)

    def save_cursor(self, stream, value):
        self[stream] = dict(value)


def cycle(portal: Portal, connector: HubSpotConnector, cursors: dict) -> tuple[dict[str, int], dict[str, int]]:
    """One pull: (calls by endpoint, events emitted by stream)."""
    before, emitted = dict(connector.usage().calls), {}
    for batch in connector.pull(cursors, properties=["firstname", "lifecyclestage"], now=portal.now):
        if batch.events:
            portal.tell("emit", [e.id for e in batch.events])
            for e in batch.events:
                stream = e.id.split(":")[0]
                emitted[stream] = emitted.get(stream, 0) + 1
        cursors.update(batch.cursors)
    calls = {k: v - before.get(k, 0) for k, v in connector.usage().calls.items() if v - before.get(k, 0)}
    return calls, emitted


def per_stream(calls: dict[str, int], new_events: dict[str, int]) -> None:
    for stream, endpoints in STREAM_OF.items():
        n = new_events.get(stream, 0)
        for ep in endpoints:
            used = calls.get(ep, 0)
            floor = max(math.ceil(n / FLOOR[ep]), 1)  # whole pages, at least one call
            ratio = f"{used / floor:.2f}× the floor of {floor}" if n else "-"
            print(f"    {stream:17s} {ep:58s} {used:5d} calls for {n:6d} emitted → "
                  f"{1000 * used / n if n else 0:6.2f} per 1,000 (page {FLOOR[ep]}; {ratio})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--activity", type=float, default=0.7)
    parser.add_argument("--late-window-hours", type=float, default=24.0,
                        help="the connector's late_window")
    parser.add_argument("--max-late-hours", type=float, default=20.0,
                        help="how late the scenario's late events (30 %%) arrive")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(40))
    burst = 10_500 if args.contacts >= 21_000 else args.contacts // 2
    t0 = time.perf_counter()
    portal = Portal(contacts=args.contacts, burst=burst, activity=args.activity)
    print(f"portal: {portal.info['contacts']:,} contacts, {portal.info['events']:,} engagement events, "
          f"{burst:,} contacts modified in one millisecond (built in {time.perf_counter() - t0:.1f} s)")
    settings = HubSpotClientSettings(base_url=portal.info["url"], token=TOKEN, rate_limit_per_10s=None,
                                     search_per_second=None, daily_limit=None,
                                     late_window=timedelta(hours=args.late_window_hours))
    connector, store = HubSpotConnector(settings), Store()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    run_backfill(connector, store, since=portal.now - timedelta(days=900), now=portal.now,
                 on_batch=lambda b: b.events and portal.tell("emit", [e.id for e in b.events]),
                 slice_length=timedelta(days=30))
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"backfill: {wall:.1f} s wall, {connector.usage().total:,} calls, peak RSS {peak / 1024:.0f} MB "
          f"(before the backfill {rss0 / 1024:.0f} MB)")
    for ep, n in sorted(connector.usage().calls.items()):
        print(f"    {n:7,d}  {ep}")
    check = portal.ask("audit")
    print(f"completeness after backfill: {check}")
    cursors = {k: v for k, v in store.items() if not k.startswith("backfill:")}

    portal.tell("tick", 900)
    changed = portal.ask("touch", 5_000)
    portal.tell("tick", 2)
    calls, _ = cycle(portal, HubSpotConnector(settings), cursors)
    print(f"    completeness: {portal.ask('audit')}")
    contact_calls = calls.get("POST /crm/v3/objects/contacts/search", 0)
    print(f"incremental, {changed:,} contacts changed: {contact_calls} contact search calls = "
          f"{1000 * contact_calls / changed:.2f} per 1,000 changed contacts (floor 5.00); all calls: {calls}")

    connector = HubSpotConnector(settings)
    for step, (events, burst_now) in enumerate([(20_000, 0), (2_000, 10_500), (30, 0)]):
        portal.tell("tick", 900)
        n = portal.ask("churn", {"events": events, "burst": min(burst_now, args.contacts // 2),
                                 "max_late_hours": args.max_late_hours})
        portal.tell("tick", 2)
        calls, kinds = cycle(portal, connector, cursors)
        plan = {k: v["mode"] for k, v in connector.last_plan.items()}
        print(f"incremental cycle {step + 1}: {n:,} new events (30% up to {args.max_late_hours:g} h late), "
              f"{burst_now:,} contacts changed in one ms; "
              f"plan {plan}; "
              f"{sum(calls.values())} calls")
        per_stream(calls, kinds)
        print(f"    all calls: {calls}")
        print(f"    completeness so far (late feed events wait for the next sweep): {portal.ask('audit')}")
    portal.tell("tick", 3600)  # nothing changes: the late-window sweeps owed come due
    swept, kinds = cycle(portal, connector, cursors)
    print(f"owed late-window sweep, an hour later: {sum(swept.values())} calls, emitted {kinds}: {swept}")
    portal.tell("tick", 900)
    idle, _ = cycle(portal, connector, cursors)
    print(f"idle cycle: {sum(idle.values())} call(s): {idle}")
    check = portal.ask("audit")
    print(f"completeness after all cycles: {check}")
    portal.ask("stop")
    assert check["missed"] == 0 and check["duplicated"] == 0, check
    assert sum(idle.values()) <= 2
    print("OK: 0 missed, 0 duplicated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
