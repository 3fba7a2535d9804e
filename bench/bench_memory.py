"""syncd's memory on a large first cycle: peak RSS at checkpoints.

The sandbox (``syncd sandbox``) runs in its own process with ``--contacts`` HubSpot
contacts, rate limits lifted; syncd runs ``once`` (optionally ``backfill`` first) in
another process whose memory alone is measured. That process prints, as it goes, its
peak RSS (``ru_maxrss``) and current RSS when the pull has stored each checkpoint's
number of contacts, around the Salesforce mirror step, and when each checkpoint's number
of contacts has been settled by the chunks.

    .venv/bin/python bench/bench_memory.py --contacts 200000 [--backfill] [--activity 1.0] [--keep DIR]

The sandbox's own memory and time are not counted (it needs several GB at 1,000,000:
about 19 GB at the default ``--activity 1.0``, about 15 engagement records per contact;
``--activity 0.25`` gives about 6 and fits a smaller machine).
``BENCH_TRACE=1`` (tracemalloc frames) also prints, at each checkpoint, the source lines
whose Python allocations grew most since the previous one (slow).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sandbox_process import lift_limits, start_sandbox, syncd_env, write_config  # noqa: E402


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


_TRACE: list = []


def _report(label: str, started: float) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"[{time.monotonic() - started:7.1f} s] {label}: peak {_mib(peak)}, now {_mib(_rss_kib())}",
          file=sys.stderr, flush=True)
    if os.environ.get("BENCH_SMAPS"):  # resident memory by mapping: heap, anonymous, files
        rss: dict[str, int] = {}
        name = ""
        with open("/proc/self/smaps") as f:
            for line in f:
                head = line.split()
                if head and "-" in head[0] and len(head) >= 5:
                    name = head[5] if len(head) > 5 else "[anonymous]"
                    name = name if name.startswith("[") or name.endswith((".db", ".db-shm")) else (
                        "[anonymous]" if len(head) <= 5 else "[files]")
                elif head and head[0] == "Rss:":
                    rss[name] = rss.get(name, 0) + int(head[1])
        import ctypes

        lib = ctypes.CDLL("libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        rss["SQLite (in use)"] = lib.sqlite3_memory_used() // 1024
        print("    " + ", ".join(f"{k} {_mib(v)}" for k, v in sorted(rss.items(), key=lambda kv: -kv[1])[:6]),
              file=sys.stderr, flush=True)
    if os.environ.get("BENCH_TRACE"):  # where the Python heap grew since the last checkpoint
        import tracemalloc

        current, top = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        print(f"    Python heap {current / 2**20:,.1f} MiB, at most {top / 2**20:,.1f} MiB since the last "
              "checkpoint", file=sys.stderr, flush=True)
        snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        if _TRACE:
            for stat in snap.compare_to(_TRACE[-1], "lineno")[:12]:
                print(f"    {stat}", file=sys.stderr, flush=True)
        _TRACE[:] = [snap]


def _child(argv: list[str], checkpoints: list[int]) -> int:
    """Run one syncd command in this process, reporting memory at the checkpoints."""
    from syncd.cli import main
    from syncd.store.store import SqlStateStore, _SqlPullWriter
    from syncd.sync import cycle, mirror

    if os.environ.get("BENCH_TRACE"):
        import tracemalloc

        tracemalloc.start(int(os.environ["BENCH_TRACE"]))
    started = time.monotonic()
    if os.environ.get("BENCH_SAMPLE"):  # RSS every BENCH_SAMPLE seconds too
        import threading

        def sample() -> None:
            while True:
                time.sleep(float(os.environ["BENCH_SAMPLE"]))
                _report("sample", started)
                if os.environ.get("BENCH_TRIM"):
                    import ctypes

                    ctypes.CDLL("libc.so.6").malloc_trim(0)
                    _report("  after malloc_trim", started)
        threading.Thread(target=sample, daemon=True).start()
    pulled, settled = [0], [0]
    save_pulled, commit_chunk, mirror_run = _SqlPullWriter.save, SqlStateStore.commit_chunk, mirror.MirrorStep.run

    def crossed(count: list[int], add: int, what: str) -> None:
        before, count[0] = count[0], count[0] + add
        for mark in checkpoints:
            if before < mark <= count[0]:
                _report(f"{what} {mark:,}", started)

    def save(self, batch, quiet):  # every pulled batch, the cycle's and the backfill's
        out = save_pulled(self, batch, quiet)
        crossed(pulled, len(batch.contacts), "contacts stored by the pull")
        return out

    def commit(self, result, **kw):
        commit_chunk(self, result, **kw)
        crossed(settled, len(result.settled), "contacts settled")

    def mirror_step(self, deps, summary, **kw):
        _report(f"before the mirror ({pulled[0]:,} pulled)", started)
        mirror_run(self, deps, summary, **kw)
        _report(f"after the mirror ({summary.other.get('mirrored', 0):,} rows)", started)

    _SqlPullWriter.save, SqlStateStore.commit_chunk = save, commit
    mirror.MirrorStep.run = mirror_step
    cycle.MirrorStep = mirror.MirrorStep
    rc = main(argv)
    _report(f"end of `syncd {argv[0]}` ({pulled[0]:,} pulled, {settled[0]:,} settled), rc {rc}", started)
    return rc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--activity", type=float, default=1.0,
                        help="the sandbox's marketing volume (1.0: about 15 engagement records per contact)")
    parser.add_argument("--checkpoints", default="5000,20000,50000,100000,200000,250000,500000,750000,1000000",
                        help="contact counts to report at (comma-separated)")
    parser.add_argument("--backfill", action="store_true", help="run `syncd backfill` before the cycle")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep it (default: a temp dir)")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    marks = sorted(int(x) for x in args.checkpoints.split(",") if x)
    if args.child:
        return _child(args.child, marks)

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for old in workdir.glob("state.db*"):  # a kept directory of an earlier run
        old.unlink()
    sandbox, p = start_sandbox(workdir, args.contacts, args.seed, args.activity)
    print(f"sandbox ready with {args.contacts:,} contacts in {time.monotonic() - started:.0f} s", flush=True)
    try:
        lift_limits(p['admin_url'])
        config = write_config(workdir, p)
        env = syncd_env(p)
        commands = ([["backfill", "--config", str(config)]] if args.backfill else []) + [
            ["once", "--config", str(config), "--summary-json", str(workdir / "summary.json")]]
        for command in commands:
            print(f"syncd {command[0]}:", flush=True)
            t0 = time.monotonic()
            with open(workdir / f"{command[0]}.log", "w") as log:
                rc = subprocess.call([sys.executable, __file__, "--checkpoints", args.checkpoints, "--child",
                                      *command], env=env, cwd=ROOT, stdout=log)
            print(f"  rc {rc}, {time.monotonic() - t0:.0f} s wall", flush=True)
            if rc:
                print((workdir / f"{command[0]}.log").read_text()[-800:])
                return rc
    finally:
        sandbox.terminate()
        sandbox.wait()
    summary = json.loads((workdir / "summary.json").read_text())
    s = summary.get("cycles", [summary])[0] if isinstance(summary, dict) else summary[0]
    print(f"first cycle: pulled {s.get('pulled'):,}, created {s.get('created'):,}, updated {s.get('updated'):,}, "
          f"API calls {s.get('api_calls')}")
    print(f"work directory: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
