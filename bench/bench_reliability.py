"""The crash-and-fault harness, long version: prints one table row per scenario.

    .venv/bin/python bench/bench_reliability.py [--kill-runs 4] [--kills 25] [--contacts 60]
                                                [--pg postgresql://postgres@127.0.0.1:5432/test]

syncd runs as real processes against the sandbox (see ``tests/reliability/harness.py``):
SIGKILL at random moments and right after Salesforce answers a write, fault storms, lock
storms, token expiry, both daily limits spent mid-run, and two daemons on one state store
(SQLite and PostgreSQL, started together and 4 s apart). Every run converges and is
compared with a clean run of the same seeded scenario.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from tests.reliability.endstate import compare  # noqa: E402
from tests.reliability.harness import Scenario, run_scenario, run_two_daemons  # noqa: E402
from tests.reliability.test_harness import LOCKS, STORM, TOKENS  # noqa: E402

COLUMNS = ("scenario", "runs", "kills", "lost", "dup Leads", "dup Contacts", "dup Tasks",
           "dup history", "rows retried", "call retries", "rejected (clean)", "extra calls HS/SF",
           "tracebacks", "seconds")


def _pg_url(base: str) -> str:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _row(name: str, report, clean, seconds: float, *, runs=None, kills=0) -> list[str]:
    result = compare(clean.end, report.end)
    extra = {s: report.calls.get(s, 0) - clean.calls.get(s, 0) for s in ("hubspot", "salesforce")}
    return [name, str(runs if runs is not None else report.runs), str(kills), str(len(result.lost)),
            str(result.duplicates["Lead"]), str(result.duplicates["Contact"]), str(result.duplicates["Task"]),
            str(result.history_duplicates), str(getattr(report, "rows_retried", "-")),
            str(getattr(report, "call_retries", "-")), f"{report.end.rejects} ({clean.end.rejects})",
            f"{extra['hubspot']:+d}/{extra['salesforce']:+d}", str(report.tracebacks), f"{seconds:.0f}"]


def _print(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    for i, row in enumerate([list(COLUMNS), *rows]):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill-runs", type=int, default=4)
    parser.add_argument("--kills", type=int, default=25, help="SIGKILLs per kill run")
    parser.add_argument("--contacts", type=int, default=60)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    rows, failures = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        cleans = {p: run_scenario(Scenario(phases=p, contacts=args.contacts), base / f"clean{p}")
                  for p in (2, 4)}
        plan = [(f"kills #{i + 1}", Scenario(phases=4, contacts=args.contacts, kills=args.kills), 100 + i)
                for i in range(args.kill_runs)]
        plan += [(name, Scenario(phases=2, contacts=args.contacts, **kw), 7) for name, kw in (
            ("storm 30% 429/5xx/timeouts", {"faults": STORM}), ("lock storm 30%", {"faults": LOCKS}),
            ("token expiry", {"faults": TOKENS}), ("both daily limits mid-run", {"limits_in_phase": 1}))]
        total_kills = 0
        for name, scenario, seed in plan:
            started = time.monotonic()
            report = run_scenario(scenario, base / name.replace(" ", "_").replace("%", ""), rng_seed=seed)
            total_kills += report.kills
            rows.append(_row(name, report, cleans[scenario.phases], time.monotonic() - started, kills=report.kills))
            failures += not compare(cleans[scenario.phases].end, report.end).equal or not report.converged
            print(f"  {name}: done in {time.monotonic() - started:.0f} s, kill points {report.kill_points}",
                  file=sys.stderr)
        for store in ("sqlite", "postgresql"):
            for apart in (0, 4):
                started = time.monotonic()
                url = _pg_url(args.pg) if store == "postgresql" else None
                name = f"two daemons, {store}, {'together' if not apart else '4 s apart'}"
                report = run_two_daemons(Scenario(phases=2, contacts=args.contacts),
                                         base / name.replace(" ", "_").replace(",", ""), apart=apart, state_url=url)
                rows.append(_row(name, report, cleans[2], time.monotonic() - started, runs=2))
                working = sum(1 for c in report.cycles if c)
                failures += working != 1 or not compare(cleans[2].end, report.end).equal
                print(f"  {name}: exit codes {report.exit_codes}, cycles {report.cycles}, "
                      f"refused after {report.seconds_to_refuse} s", file=sys.stderr)
    _print(rows)
    print(f"\n{total_kills} SIGKILLs in all; {failures} scenario(s) not equal to their clean run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
