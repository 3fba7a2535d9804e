"""Benchmark: evaluate 100,000 contacts with 1,000,000 events against mappings/scoring.toml.

Run: ``.venv/bin/python bench/bench_scoring.py [--contacts N] [--events-per-contact K]``.
The events are built before the clock starts; the timed part is one ``evaluate`` per
contact (fit, engagement with decay and caps, intent, stage machine, next review time).
It prints wall seconds and CPU seconds of this process: on a shared machine the wall time
also counts other processes' turns on the CPU.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.lifecycle import ContactFacts, evaluate, load_scoring
from syncd.models import EngagementEvent, EngagementKind as K

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SHAPES = [
    (K.EMAIL_OPEN, {"campaign_id": "c1"}), (K.EMAIL_CLICK, {"url": "https://x.io/blog"}),
    (K.EMAIL_DELIVERED, {}), (K.PAGE_VIEW, {"url": "https://x.io/pricing"}),
    (K.PAGE_VIEW, {"url": "https://x.io/blog/post"}), (K.FORM_SUBMISSION,
                                                       {"form_name": "Ebook download"}),
    (K.FORM_SUBMISSION, {"form_name": "Demo request"}), (K.MEETING, {}),
    (K.CUSTOM_EVENT, {"event_name": "pe1_feature_activated"}), (K.EMAIL_BOUNCE, {}),
]
WEIGHTS = [30, 10, 25, 4, 15, 3, 1, 1, 5, 1]


def build(contacts: int, per_contact: int, seed: int = 7):
    """Facts and events per contact, deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    for c in range(contacts):
        cid = str(c)
        props = {"email": f"p{c}@acme{c % 97}.com", "jobtitle": rng.choice(["VP Sales", "Student",
                 "Marketing Manager", ""]), "numberofemployees": str(rng.randint(1, 20000)),
                 "industry": "COMPUTER_SOFTWARE", "country": "Germany", "company": "Acme",
                 "lifecyclestage": rng.choice(["subscriber", "lead", "salesqualifiedlead"])}
        facts = ContactFacts(contact_id=cid, properties=props,
                             lead_status=rng.choice([None, "Working - Contacted", "Nurture"]))
        events = []
        for i in range(per_contact):
            kind, attrs = rng.choices(SHAPES, WEIGHTS)[0]
            at = NOW - timedelta(seconds=rng.randint(0, 270 * 86400))
            events.append(EngagementEvent(id=f"e:{c}:{i}", contact_id=cid, kind=kind,
                                          occurred_at=at, attributes=attrs))
        out.append((facts, events))
    return out


def score(model, data) -> dict[str, int]:
    """Evaluate every (facts, events) of ``data`` at ``NOW``; how many contacts per stage."""
    stages: dict[str, int] = {}
    for facts, events in data:
        a = evaluate(model, facts=facts, events=events, previous=None, now=NOW)
        stages[a.stage] = stages.get(a.stage, 0) + 1
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events-per-contact", type=int, default=10)
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="leave the prebuilt inputs to the cyclic garbage collector")
    args = parser.parse_args()
    model = load_scoring(ROOT / "mappings" / "scoring.toml")
    data = build(args.contacts, args.events_per_contact)
    n_events = sum(len(e) for _, e in data)
    # The prebuilt inputs (millions of objects) live for the whole run; freezing them keeps
    # the cyclic GC from rescanning them, which is the harness's cost, not the engine's.
    # --no-gc-freeze measures with it.
    if not args.no_gc_freeze:
        gc.collect()
        gc.freeze()
    started, cpu_started = time.perf_counter(), time.process_time()
    stages = score(model, data)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"contacts={len(data)} events={n_events} seconds={elapsed:.2f} cpu_seconds={cpu:.2f} "
          f"contacts_per_s={len(data) / elapsed:,.0f} events_per_s={n_events / elapsed:,.0f}")
    print("stages:", dict(sorted(stages.items())))


if __name__ == "__main__":
    main()
