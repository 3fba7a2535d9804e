"""Python's garbage collector in a full first cycle: collections per generation and their CPU,
at syncd's thresholds (``syncd.heap.COLLECTOR_THRESHOLDS``) or at Python's default.

    .venv/bin/python bench/bench_collector.py [--contacts 20000] [--thresholds syncd|default]

The sandbox runs in its own process with HubSpot's rate limits lifted (as ``bench_scale.py``);
``syncd once`` runs in a child process that times each collection with ``gc.callbacks``
(thread CPU from start to stop) and prints the totals when the cycle is done, with the
process's CPU and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sandbox_process import lift_limits, print_rows, start_sandbox, syncd_env, write_config  # noqa: E402

# Runs in the child: syncd's command line with the collector timed.
_CHILD = """
import gc, json, resource, sys, time
import syncd.heap
if sys.argv[1] == "default":
    syncd.heap.COLLECTOR_THRESHOLDS = gc.get_threshold()  # Python's own, kept after start-up
spent, started, count = [0.0], [0.0], [0, 0, 0]
def timed(phase, info):
    if phase == "start":
        started[0] = time.thread_time()
    else:
        spent[0] += time.thread_time() - started[0]
        count[info["generation"]] += 1
gc.callbacks.append(timed)
from syncd.cli import main
rc = main(["once", "--config", sys.argv[2], "--summary-json", sys.argv[3]])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rc": rc, "thresholds": gc.get_threshold(), "collections": count, "gc_cpu": spent[0],
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_kib": usage.ru_maxrss}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--thresholds", choices=("syncd", "default"), default="syncd",
                        help="syncd's thresholds, or Python's default kept after start-up")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="syncd-collector-"))
    sandbox, ports = start_sandbox(work, args.contacts, args.seed)
    try:
        lift_limits(ports["admin_url"])
        config = write_config(work, ports, None, limits=(1000, 50))
        done = subprocess.run([sys.executable, "-c", _CHILD, args.thresholds, str(config), str(work / "summary.json")],
                              env=syncd_env(ports), capture_output=True, text=True)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=60)
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"syncd once failed: {(done.stdout + done.stderr)[-600:]}")
    shutil.rmtree(work, ignore_errors=True)
    if result["rc"] != 0:
        sys.exit(f"syncd once ended with {result['rc']}")
    young, middle, full = result["collections"]
    rows = [("thresholds", f"{tuple(result['thresholds'])} ({args.thresholds})"),
            ("collections", f"{young:,} young, {middle:,} middle, {full:,} full"),
            ("collector CPU", f"{result['gc_cpu']:.2f} s"),
            ("syncd CPU (user + sys)", f"{result['cpu']:.1f} s"),
            ("peak RSS of syncd", f"{result['peak_kib'] / 1024:.0f} MiB")]
    print_rows(rows)


if __name__ == "__main__":
    main()
