"""Whole sync cycles against the sandbox: wall time and API calls per system.

    .venv/bin/python bench/bench_cycle.py [--contacts 5000] [--seed 7]

Runs a first (full) cycle, an idle cycle, and a cycle after one drift step, through the
real connectors and the sandbox over real HTTP(S), and prints one line per cycle.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from syncd_sandbox.runtime import Sandbox  # noqa: E402
from syncd.app import open_app  # noqa: E402
from syncd.demo import write_sandbox_config  # noqa: E402
from syncd.runner import run_once  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        with Sandbox.start(seed=args.seed, contacts=args.contacts, workdir=Path(tmp) / "sb") as sandbox:
            print(f"sandbox with {args.contacts} contacts ready in {time.monotonic() - started:.1f} s")
            app = open_app(write_sandbox_config(sandbox.endpoints, Path(tmp) / "syncd"))
            try:
                for name, before in (("full", None), ("idle", None), ("after drift", sandbox.drift)):
                    if before:
                        before()
                    t0 = time.monotonic()
                    s = run_once(app)
                    print(f"{name:>12}: {time.monotonic() - t0:6.2f} s  pulled {s.pulled:6}  "
                          f"events {s.events:7}  created {s.created:5}  updated {s.updated:5}  "
                          f"HubSpot calls {s.api_calls['hubspot']:4}  "
                          f"Salesforce calls {s.api_calls['salesforce']:4}")
            finally:
                app.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (sandbox included): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
