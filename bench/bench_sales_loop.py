"""The sales loop's call budget against the sandbox: calls of a first cycle (tasks, HubSpot
write-back) per 1,000 contacts, and of quiet cycles after it.

    .venv/bin/python bench/bench_sales_loop.py [--contacts 3000] [--seed 11] [--quiet 3]
        [--gap-minutes 16]

The sandbox and syncd share a clock that the script moves ``--gap-minutes`` between cycles,
as a daemon's schedule would (HubSpot's change feed re-reads a short overlap after a read;
cycles run back to back would keep re-reading it). Prints one line per cycle and the figures
the issue names: HubSpot write-back calls per 1,000 written contacts, Salesforce calls that
created tasks and how many tasks a call carried, and each quiet cycle's calls and writes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from syncd.app import open_app  # noqa: E402
from syncd.clock import FixedClock  # noqa: E402
from syncd.demo import write_sandbox_config  # noqa: E402
from syncd.runner import run_once  # noqa: E402
from syncd_sandbox.runtime import Sandbox  # noqa: E402

START = datetime(2026, 11, 24, 10, tzinfo=UTC)
WRITE = ("PATCH", "POST", "PUT", "DELETE")


def _writes(endpoints: dict[str, int]) -> int:
    return sum(n for k, n in endpoints.items() if k.split(" ", 1)[0] in WRITE and "search" not in k
               and "/read" not in k and "composite/batch" not in k and "oauth2" not in k and "jobs/query" not in k)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--quiet", type=int, default=3)
    parser.add_argument("--gap-minutes", type=float, default=16)
    args = parser.parse_args()
    clock = FixedClock(START)
    with tempfile.TemporaryDirectory() as tmp, Sandbox.start(seed=args.seed, contacts=args.contacts, clock=clock,
                                                             now=START, workdir=Path(tmp) / "sb") as sandbox:
        sandbox.update_settings("hubspot", {"search_per_second": None, "rate_limit_per_10s": None})
        app = open_app(write_sandbox_config(sandbox.endpoints, Path(tmp) / "syncd"), clock=clock)
        try:
            first = run_once(app).to_dict()
            ep = first["api_calls_by_endpoint"]
            updates = ep["hubspot"].get("POST /crm/v3/objects/contacts/batch/update", 0)
            sf_writes = _writes(ep["salesforce"])
            written, cleared = first.get("hubspot_updated", 0), first.get("hubspot_cleared", 0)
            floor = -(-(written + cleared) // 100)
            print(f"first cycle: {first['pulled']} pulled, {first['created'] + first['updated']} records written, "
                  f"calls HubSpot {first['api_calls']['hubspot']}, Salesforce {first['api_calls']['salesforce']}")
            print(f"  HubSpot write-back: {written} contacts ({cleared} of them moved back a stage, cleared first "
                  f"in an earlier request) in {updates} batch updates = {1000 * updates / max(written, 1):.1f} "
                  f"calls per 1,000 written (goal ≤ 10; the floor for these requests is {floor}, "
                  f"{1000 * floor / max(written, 1):.1f} per 1,000)")
            print(f"  Salesforce: {first['created'] + first['updated']} records and {first.get('tasks_created', 0)} "
                  f"tasks in {sf_writes} write calls (Composite calls of up to 5 Collections of 200, or one "
                  f"Collection alone)")
            for n in range(1, args.quiet + 1):
                clock.advance(timedelta(minutes=args.gap_minutes))
                quiet = run_once(app).to_dict()
                calls = quiet["api_calls"]
                writes = {s: _writes(quiet["api_calls_by_endpoint"].get(s, {})) for s in ("hubspot", "salesforce")}
                print(f"quiet cycle {n}: HubSpot {calls['hubspot']} calls, Salesforce {calls['salesforce']} calls, "
                      f"writes {writes} (goal ≤ 2 HubSpot and ≤ 1 Salesforce read, 0 writes)")
        finally:
            app.close()


if __name__ == "__main__":
    main()
