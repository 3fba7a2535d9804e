"""Two CSV files in, decisions out: what ``syncd reconcile`` and ``syncd import --existing``
share. Files are read with the offline reader (encoding detection, delimiter sniffing)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from syncd.offline.errors import FileRefused
from syncd.offline.limits import Limits
from syncd.offline.read import read_table
from syncd.offline.result import Match
from syncd.offline.safe import neutralise
from syncd.reconcile.engine import match, prepare
from syncd.reconcile.result import Decision
from syncd.reconcile.rules import MatchingRules, load_rules

__all__ = ["decisions_csv", "file_deduplicator", "file_matcher", "read_records", "reconcile_records"]

BIG = Limits(max_bytes=2 * 1024**3, max_rows=5_000_000, max_field=100_000)


def read_records(path: Path) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """(header, records) of a CSV or XLSX file; blank records left out."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"{path}: cannot read the file: {exc.strerror}") from None
    table = read_table(data, limits=BIG).table
    records = [dict(zip(table.header, r.cells)) for r in table.records
               if r.problem is None and any(c.strip() for c in r.cells)]
    return table.header, records


def reconcile_records(rules: MatchingRules, existing: Sequence[dict], existing_ids: Sequence[str],
                      incoming: Sequence[dict], incoming_ids: Sequence[str]) -> list[Decision]:
    """Prepare a throw-away index of ``existing`` and match ``incoming`` against it (on a
    local Spark session instead when the rules say ``backend = "spark"``)."""
    if rules.matching.backend == "spark":
        return _on_spark(rules, existing, existing_ids, incoming, incoming_ids)
    with tempfile.TemporaryDirectory(prefix="syncd-reconcile-") as tmp:
        index = prepare(rules, existing, existing_ids, Path(tmp) / "existing.duckdb")
        return match(index, incoming, incoming_ids)


def _on_spark(rules, existing, existing_ids, incoming, incoming_ids) -> list[Decision]:
    try:
        from syncd.reconcile.spark import local_session, match_on_spark

        spark = local_session()
    except ImportError:
        raise ValueError('backend = "spark" needs pyspark (pip install pyspark) and a Java runtime') from None
    try:
        return match_on_spark(spark, rules, existing, existing_ids, incoming, incoming_ids)
    finally:
        spark.stop()


def decisions_csv(decisions: Sequence[Decision]) -> str:
    """One row per incoming record: incoming_id, decision, existing_id, match_probability,
    evidence (every value neutralised against formula injection)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["incoming_id", "decision", "existing_id", "match_probability", "evidence"])
    for d in decisions:
        prob = "" if d.match_probability is None else f"{d.match_probability:.6f}"
        out.writerow([neutralise(v) for v in (d.incoming_id, d.decision, d.existing_id or d.duplicate_of or "",
                                              prob, d.evidence_text())])
    return buf.getvalue()


def file_matcher(existing: Path, *, rules: Path | None, mappings_dir: Path):
    """For ``syncd import --existing``: match imported records (offline field names) against
    a CSV of existing people with the same column names."""
    loaded = load_rules(rules or mappings_dir / "matching.toml")
    header, records = read_records(existing)
    ids = [r.get("id") or str(i + 2) for i, r in enumerate(records)]

    def run(incoming: Sequence[dict]) -> list[Match | None]:
        decisions = reconcile_records(loaded, records, ids, incoming, [str(i) for i in range(len(incoming))])
        return [Match(existing_id=d.existing_id or "", decision=d.decision, probability=d.match_probability or 0.0,
                      evidence=tuple(e.text() for e in d.evidence)) if d.existing_id else None
                for d in decisions]

    return run


def file_deduplicator(rules: MatchingRules):
    """For ``syncd import``: each record's earlier duplicate in the same file (or None),
    from the deterministic keys and the engine's same-person clusters together."""
    from syncd.offline.dedupe import exact_duplicates
    from syncd.reconcile.engine import union, within

    def run(records: Sequence[dict]) -> list[int | None]:
        ids = [str(i) for i in range(len(records))]
        links = [(str(i), str(j)) for i, j in enumerate(exact_duplicates(records)) if j is not None]
        for group in within(rules, records, ids):
            links += [(group[0], other) for other in group[1:]]
        first = {m: int(g[0]) for g in union(ids, links) for m in g}
        return [first.get(str(i)) if first.get(str(i)) != i else None for i in range(len(records))]

    return run
