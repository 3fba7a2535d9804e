"""Benchmark: storing a pull's events in the SQLite state store, by rows per transaction.

Run: ``.venv/bin/python bench/bench_store.py [--contacts 20000] [--events 308000] [--rows 20000,200000] [--ids random|rising]``.
The events are built before the clock starts, shaped like the sandbox world's (ids random
as its feeds' UUIDs, or rising per stream; each event of a random contact, small attribute
maps), and arrive in pages of 500 as a pull's would. For each ``--rows`` value a fresh database (WAL, ``synchronous=FULL``,
the store's own pragmas) takes every page through ``SqlStateStore.pull_writer``, committed
once the open transaction holds that many rows, as ``PullGroups`` does (200,000 by default).
The writer sorts a transaction's events by contact in rounds on their way into the
engagement table (``store._Stage``). It prints CPU and wall seconds of this process per
setting, and the CPU of reading every contact's events back, 1,000 contacts at a time in id
order as the chunks do: each contact's events lie together in the rounds that stored them.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.models import EngagementEvent, EngagementKind as K
from syncd.ports import PullBatch
from syncd.store import open_store

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
STREAMS = [("email_events", K.EMAIL_DELIVERED, {"campaign_id": 7}), ("emails", K.EMAIL_SENT,
           {"direction": "EMAIL", "source": "sales"}), ("events", K.PAGE_VIEW, {"url": "https://x.io/pricing"}),
           ("forms", K.FORM_SUBMISSION, {"form_id": "f-1", "form_name": "Ebook download"})]


def pages(contacts: int, events: int, page: int = 500, seed: int = 7, ids: str = "random") -> list[PullBatch]:
    rng = random.Random(seed)
    out, per_stream = [], events // len(STREAMS)
    for stream, kind, attrs in STREAMS:
        batch = [EngagementEvent(id=f"{stream}:{uuid.UUID(int=rng.getrandbits(128)) if ids == 'random' else 30_000_000 + n}",
                                 contact_id=str(rng.randrange(contacts)),
                                 kind=kind, occurred_at=NOW - timedelta(seconds=per_stream - n), attributes=attrs)
                 for n in range(per_stream)]
        out += [PullBatch(events=batch[i:i + page]) for i in range(0, len(batch), page)]
    return out


def run(batches: list[PullBatch], rows: int, folder: Path, contacts: int) -> tuple[float, float, int, float]:
    store = open_store(f"sqlite:///{folder / f'state-{rows}.db'}")
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    new = held = 0
    with store.pull_writer(now=NOW) as writer:
        for batch in batches:
            new += writer.save(batch, ())
            held += len(batch.events)
            if held >= rows:
                new += writer.commit()
                held = 0
        new += writer.commit()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    ids = sorted(str(c) for c in range(contacts))
    read = time.process_time()
    for start in range(0, len(ids), 1000):
        store.events_for(ids[start:start + 1000])
    read = time.process_time() - read
    store.close()
    return cpu, wall, new, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=308_000)
    parser.add_argument("--rows", default="20000,200000", help="rows per transaction, comma-separated")
    parser.add_argument("--ids", choices=("random", "rising"), default="random")
    args = parser.parse_args()
    batches = pages(args.contacts, args.events, ids=args.ids)
    with tempfile.TemporaryDirectory(prefix="syncd-store-") as folder:
        for rows in (int(r) for r in args.rows.split(",")):
            cpu, wall, new, read = run(batches, rows, Path(folder), args.contacts)
            print(f"rows per transaction {rows:>7,}: {new:,} events stored, CPU {cpu:.2f} s, wall {wall:.2f} s; "
                  f"read back by 1,000 contacts: CPU {read:.2f} s")


if __name__ == "__main__":
    main()
