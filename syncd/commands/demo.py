"""``syncd demo``: run syncd against the built-in sandbox and show what it did."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="run syncd end to end against the built-in sandbox")
    parser.add_argument("--contacts", type=int, default=200, help="contacts in the seeded portal")
    parser.add_argument("--seed", type=int, default=7, help="seed of the sandbox world")
    parser.add_argument("--cycles", type=int, default=3, help="sync cycles to run (≥ 1)")
    parser.add_argument("--workdir", type=Path, default=Path("demo-output"),
                        help="where config, state and logs go (emptied first)")
    parser.add_argument("--summary-json", type=Path, help="write the cycle summaries here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.demo import run_demo, to_json
    from syncd.demo_report import print_report
    from syncd.wiring import SandboxMissing, sandbox_runtime

    if args.cycles < 1 or args.contacts < 1:
        print("syncd demo: --cycles and --contacts must be at least 1")
        return 2
    started = time.monotonic()
    try:
        sandbox_runtime()
    except SandboxMissing as exc:
        print(f"syncd demo: {exc}", file=sys.stderr)
        return 2
    result = run_demo(workdir=args.workdir.resolve(), contacts=args.contacts, seed=args.seed,
                      cycles=args.cycles)
    print_report(result, seconds=time.monotonic() - started)
    if args.summary_json:
        args.summary_json.write_text(to_json(result))
    return 0
