"""Reconciliation speed: 100,000 incoming against 1,000,000 existing, cold (features,
index, training and matching, all in the timed run), then a daemon-sized batch of 200
against the same prepared index with its trained model (a new process, as a daemon's next
cycle would be). Each phase runs in its own process so its peak memory (RSS, workers
included) is its own; the data is generated first by the corruption generator.

Run: .venv/bin/python bench/bench_reconcile.py [--existing N] [--incoming N] [--batch N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "sandbox")]

COLUMNS = ("first_name", "last_name", "email", "phone", "company", "region")
RULES = {"matching": {"region_column": "region"},
         "fields": {"email": "email", "first_name": "first_name", "last_name": "last_name",
                    "phone": "phone", "company": "company"}}


def _generate(out: Path, existing: int, incoming: int) -> None:
    from tests.reconcile.corrupt import dataset

    data = dataset(11, existing=existing, incoming=incoming)
    for name, ids, recs in (("existing", data.existing_ids, data.existing),
                            ("incoming", data.incoming_ids, data.incoming)):
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(("id",) + COLUMNS)
            w.writerows([i] + [r.get(c, "") for c in COLUMNS] for i, r in zip(ids, recs))
    (out / "truth.json").write_text(json.dumps(data.truth))


def _rows(path: Path, limit: int | None = None):
    with path.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if limit is not None and n >= limit:
                return
            yield row


def _cpu_s() -> float:
    """CPU seconds of this process and its finished workers (load-independent)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def _cold(work: Path) -> dict:
    import duckdb

    from syncd.reconcile.engine import match, prepare_arrow
    from syncd.reconcile.rules import MatchingRules

    rules = MatchingRules.model_validate(RULES)
    start = time.perf_counter()
    # the existing side as a CRM mirror would hand it over: Arrow record batches
    reader = duckdb.connect().read_csv(str(work / "existing.csv"), all_varchar=True).fetch_record_batch(50_000)
    index = prepare_arrow(rules, reader, "id", work / "index.duckdb", workers=2)
    prepared, prepare_cpu = time.perf_counter(), _cpu_s()
    incoming = list(_rows(work / "incoming.csv"))
    decisions = match(index, incoming, [r["id"] for r in incoming])
    done = time.perf_counter()
    truth = json.loads((work / "truth.json").read_text())
    merges = [d for d in decisions if d.decision == "merge"]
    right = sum(truth.get(d.incoming_id) == d.existing_id or _same_cluster(d, truth) for d in merges)
    me, kids = _peak_mb()
    return {"existing": index.count, "incoming": len(incoming), "prepare_s": prepared - start,
            "prepare_cpu_s": prepare_cpu, "cpu_s": _cpu_s(), "load": os.getloadavg()[0],
            "match_and_train_s": done - prepared, "total_s": done - start, "peak_rss_mb": me,
            "peak_rss_workers_mb": kids, "merges": len(merges), "merge_precision": right / max(len(merges), 1)}


def _same_cluster(d, truth) -> bool:
    return d.duplicate_of is not None and truth.get(d.duplicate_of) == d.existing_id


def _batch(work: Path, size: int) -> dict:
    from syncd.reconcile.engine import match
    from syncd.reconcile.index import PreparedIndex

    start = time.perf_counter()
    index = PreparedIndex.open(work / "index.duckdb")
    batch = list(_rows(work / "incoming.csv", size))
    decisions = match(index, batch, [r["id"] for r in batch])
    done = time.perf_counter()
    me, _ = _peak_mb()
    return {"existing": index.count, "incoming": len(batch), "total_s": done - start, "peak_rss_mb": me,
            "decisions": {k: sum(d.decision == k for d in decisions) for k in ("merge", "review", "create", "duplicate")}}


def _phase(name: str, work: Path, *extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--work", str(work), *extra],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--incoming", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--phase", choices=("generate", "cold", "batch"))
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.phase == "generate":
        _generate(args.work, args.existing, args.incoming)
        print("{}")
    elif args.phase:
        print(json.dumps(_cold(args.work) if args.phase == "cold" else _batch(args.work, args.batch)))
    else:
        with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as tmp:
            work = Path(tmp)
            t = time.perf_counter()
            _phase("generate", work, "--existing", str(args.existing), "--incoming", str(args.incoming))
            print(f"generated {args.existing:,} existing and {args.incoming:,} incoming records "
                  f"({time.perf_counter() - t:.0f} s, not timed below)")
            cold = _phase("cold", work)
            print(f"cold: {cold['incoming']:,} incoming against {cold['existing']:,} existing in "
                  f"{cold['total_s']:.1f} s (prepare {cold['prepare_s']:.1f} s, train and match "
                  f"{cold['match_and_train_s']:.1f} s); CPU {cold['cpu_s']:.0f} s (prepare "
                  f"{cold['prepare_cpu_s']:.0f} s); load average at the end {cold['load']:.1f}; "
                  f"peak RSS {cold['peak_rss_mb']:.0f} MB "
                  f"(feature workers {cold['peak_rss_workers_mb']:.0f} MB each at most); "
                  f"{cold['merges']:,} merges, precision {cold['merge_precision']:.4f}")
            for _ in range(3):
                warm = _phase("batch", work, "--batch", str(args.batch))
                print(f"daemon batch: {warm['incoming']} incoming against {warm['existing']:,} prepared "
                      f"in {warm['total_s']:.2f} s (new process, trained model and blocking keys from the "
                      f"index file); peak RSS {warm['peak_rss_mb']:.0f} MB; {warm['decisions']}")


if __name__ == "__main__":
    main()
