"""syncd's own cost on a full first cycle: wall, CPU of the syncd process, calls, peak RSS.

    .venv/bin/python bench/bench_scale.py [--contacts 20000] [--seed 7] [--state-url URL]
        [--limits lifted|professional]

The sandbox runs in its own process (``syncd sandbox``), so its CPU never counts as
syncd's. By default HubSpot's rate limits are lifted on both sides, as in the scale check,
so the figure is syncd's work and not its waiting; ``--limits professional`` keeps the
sandbox at a Professional portal's limits (190 calls per 10 s, 4 searches per second) and
configures syncd the same, to compare the wall time with the API floor and count the 429s
the sandbox answered (a 429 there is one syncd provoked itself). ``syncd once`` runs as a child process: its
user + system CPU and peak RSS come from the kernel (``wait4``). The API floor is the
time the same calls need at least under the configured limits (HubSpot Professional:
190 calls per 10 s, 4 searches per second; the two windows run side by side, so the
floor is the larger of the two); Salesforce has a daily allowance, no rate, so it adds
no floor. ``--contacts`` goes up to 1,000,000; the sandbox builds its world in memory
first, which at that size takes minutes and several GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sandbox_process import SYNCD, lift_limits, print_rows, sandbox_stats, start_sandbox, syncd_env, write_config  # noqa: E402

GENERAL_PER_S = 190 / 10  # HubSpot Professional: 190 calls per 10 seconds
SEARCH_PER_S = 4  # and 4 CRM search requests per second


def _run_once(work: Path, config: Path, p: dict) -> tuple[float, float, float, int]:
    """(wall s, user s, system s, peak RSS KiB) of one ``syncd once``."""
    env = syncd_env(p)
    with open(work / "once.log", "w") as log:
        started = time.perf_counter()
        proc = subprocess.Popen([str(SYNCD), "once", "--config", str(config), "--summary-json",
                                 str(work / "summary.json")], stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"syncd once failed: {(work / 'once.log').read_text()[-600:]}")
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss


def machine_reference(repeat: int = 3) -> float:
    """CPU seconds of ``bench_scoring.py``'s work at a tenth (10,000 contacts, 100,000
    events), the least of ``repeat`` runs in this process: syncd's CPU figures move with the
    machine's speed, and this says how fast the machine was, so runs on different machines
    or days can be compared."""
    from bench_scoring import ROOT as BENCH_ROOT, build, score
    from syncd.lifecycle import load_scoring

    model = load_scoring(BENCH_ROOT / "mappings" / "scoring.toml")
    data = build(10_000, 10)
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        score(model, data)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000, help="sandbox contacts (up to 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--state-url", help="the state store (default: SQLite in the work folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print its path")
    parser.add_argument("--limits", choices=("lifted", "professional"), default="lifted",
                        help="HubSpot rate limits of the sandbox and of syncd (default: lifted)")
    args = parser.parse_args()
    if not 1 <= args.contacts <= 1_000_000:
        parser.error("--contacts goes from 1 to 1,000,000")
    work = Path(tempfile.mkdtemp(prefix="syncd-scale-"))
    started = time.monotonic()
    sandbox, ports = start_sandbox(work, args.contacts, args.seed)
    try:
        print(f"sandbox with {args.contacts:,} contacts ready in {time.monotonic() - started:.1f} s")
        professional = args.limits == "professional"
        if not professional:
            lift_limits(ports["admin_url"])
        config = write_config(work, ports, args.state_url,
                              limits=(190, 4) if professional else (1000, 50))
        wall, user, system, rss = _run_once(work, config, ports)
        throttled = sandbox_stats(ports["admin_url"])["systems"].get("hubspot", {}).get("by_status", {}).get("429", 0)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=60)
    summary = json.loads((work / "summary.json").read_text())
    summary = summary.get("cycles", [summary])[0] if isinstance(summary, dict) else summary[0]
    calls = summary["api_calls"]
    by_endpoint = summary["api_calls_by_endpoint"]["hubspot"]
    searches = sum(n for e, n in by_endpoint.items() if e.endswith("/search"))
    general = calls["hubspot"] - searches
    floor = max(general / GENERAL_PER_S, searches / SEARCH_PER_S)
    pulled, cpu = summary["pulled"], user + system
    per_k = 1000 / max(pulled, 1)
    rows = [("contacts pulled", f"{pulled:,}"), ("events stored", f"{summary['events']:,}"),
            ("Salesforce written (created + updated)", f"{summary['created'] + summary['updated']:,}"),
            ("wall", f"{wall:.1f} s"),
            ("syncd CPU (user + sys)", f"{cpu:.1f} s ({user:.1f} + {system:.1f})"),
            ("syncd CPU per contact", f"{1000 * cpu / max(pulled, 1):.2f} ms"),
            ("HubSpot calls", f"{calls['hubspot']:,} ({general:,} general, {searches:,} search); "
                              f"{calls['hubspot'] * per_k:.1f} per 1,000 contacts"),
            ("Salesforce calls", f"{calls['salesforce']:,}; {calls['salesforce'] * per_k:.1f} per 1,000 contacts"),
            ("peak RSS of syncd", f"{rss / 1024:.0f} MiB"),
            ("API floor at the configured limits", f"{floor:.1f} s (general {general / GENERAL_PER_S:.1f} s, "
                                                   f"search {searches / SEARCH_PER_S:.1f} s)"),
            ("wall / API floor", f"{wall / floor:.2f} (HubSpot limits {args.limits})"),
            ("HubSpot 429 answers", f"{throttled}"),
            ("step seconds", ", ".join(f"{k} {v:.1f}" for k, v in (summary.get("step_seconds") or {}).items()
                                       if v >= 0.05)),
            ("machine reference", f"{machine_reference():.2f} s CPU for bench_scoring's work at a tenth "
                                  "(10,000 contacts, 100,000 events; after the run)")]
    print_rows(rows)
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
