"""``syncd reconcile --existing E.csv --incoming I.csv --out decisions.csv``: run the
reconciliation engine on two files and touch nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("reconcile", help="match the records of one file against another's")
    parser.add_argument("--existing", type=Path, required=True, metavar="E.csv", help="the records already known")
    parser.add_argument("--incoming", type=Path, required=True, metavar="I.csv", help="the records to place")
    parser.add_argument("--id", dest="id_column", metavar="COLUMN",
                        help="identifier column of both files (default: the line number)")
    parser.add_argument("--rules", type=Path, metavar="R", help="matching rules (matching.toml); "
                                                                "without: inferred from the columns and printed")
    parser.add_argument("--out", type=Path, required=True, help="decisions CSV to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from syncd.errors import ConfigError
    from syncd.offline.errors import FileRefused

    try:
        return _run(args)
    except FileRefused as exc:
        print(f"syncd reconcile: refused: {exc}", file=sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"syncd reconcile: {exc.render()}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"syncd reconcile: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from syncd.reconcile.files import decisions_csv, read_records, reconcile_records
    from syncd.reconcile.infer import infer_rules, rules_toml
    from syncd.reconcile.rules import load_rules

    e_header, existing = read_records(args.existing)
    i_header, incoming = read_records(args.incoming)
    e_ids, i_ids = _ids(args.existing, e_header, existing, args.id_column), _ids(args.incoming, i_header,
                                                                                incoming, args.id_column)
    if args.rules:
        rules = load_rules(args.rules)
    else:
        shared = [c for c in i_header if c in set(e_header)]
        rules = infer_rules(shared, existing[:500] + incoming[:500], skip=[args.id_column or ""])
        print("# rules inferred from the shared columns (save as a file and pass --rules to edit):")
        print(rules_toml(rules))
    decisions = reconcile_records(rules, existing, e_ids, incoming, i_ids)
    args.out.write_text(decisions_csv(decisions), encoding="utf-8")
    counts: dict[str, int] = {}
    for d in decisions:
        counts[d.decision] = counts.get(d.decision, 0) + 1
    print(f"{len(decisions)} incoming records: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
          + f"; written to {args.out}")
    return 0


def _ids(path: Path, header, records, column: str | None) -> list[str]:
    if column is None:
        return [str(i + 2) for i in range(len(records))]
    if column not in header:
        raise ValueError(f"{path}: no column {column!r} for --id (columns: {', '.join(header)})")
    return [r.get(column, "") for r in records]
