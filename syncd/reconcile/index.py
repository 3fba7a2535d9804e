"""``PreparedIndex``: the existing side prepared once, kept in a DuckDB file.

The file holds the existing records' features (the blocking keys among them), the numbers
shared by several records (switchboards), the matching rules and the trained model. Each
batch of incoming records is matched against it without recomputing any of that, which is
what keeps a daemon-sized batch fast against a million existing records.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from syncd.reconcile.features import Schema
from syncd.reconcile.rules import MatchingRules

__all__ = ["PreparedIndex"]

log = logging.getLogger(__name__)
CHUNK = 50_000
PARALLEL_FROM = 20_000  # records in a batch from which worker processes pay off
FORMAT = "syncd-reconcile-index/1"


class PreparedIndex:
    """Open with ``PreparedIndex.build`` (from records) or ``PreparedIndex.open`` (a file)."""

    def __init__(self, path: Path, rules: MatchingRules, model: dict | None, count: int) -> None:
        self.path, self.rules, self.model, self.count = path, rules, model, count
        self.schema = Schema(rules)

    @classmethod
    def build(cls, rules: MatchingRules, records: Iterable[Mapping], ids: Iterable[str], path: Path,
              *, workers: int = 1) -> "PreparedIndex":
        """Compute the features of ``records`` into a new DuckDB file at ``path``."""
        from syncd.reconcile.parallel import feature_batches

        schema = Schema(rules)
        return cls._write(rules, path, feature_batches(schema, records, ids, CHUNK, workers=workers))

    @classmethod
    def build_from_arrow(cls, rules: MatchingRules, batches: Iterable[pa.RecordBatch], id_column: str,
                         path: Path, *, workers: int = 1) -> "PreparedIndex":
        """The same from Arrow record batches (a CRM mirror or a CSV read by DuckDB), which
        reach the worker processes without being turned into Python objects first."""
        from syncd.reconcile.parallel import arrow_feature_batches

        schema = Schema(rules)
        return cls._write(rules, path, arrow_feature_batches(schema, batches, id_column, workers=workers))

    @classmethod
    def _write(cls, rules: MatchingRules, path: Path, tables: Iterable[pa.Table]) -> "PreparedIndex":
        path = Path(path)
        if path.exists():
            path.unlink()
        schema = Schema(rules)
        con = duckdb.connect(str(path))
        con.execute("SET enable_progress_bar = false")
        try:
            cols = ", ".join(f'"{n}" {t}' for n, t in schema.columns())
            con.execute("SET preserve_insertion_order = false")  # order is not needed; writes are faster
            con.execute(f"CREATE TABLE existing ({cols})")
            for batch in tables:
                con.register("batch", batch)
                con.execute("INSERT INTO existing SELECT * FROM batch")
                con.unregister("batch")
            twice = con.execute("SELECT uid FROM existing GROUP BY uid HAVING count(*) > 1 LIMIT 1").fetchone()
            if twice:
                raise ValueError(f"existing id {twice[0]!r} appears twice; each record needs its own id")
            _mark_shared(con, schema, "existing")
            count = con.execute("SELECT count(*) FROM existing").fetchone()[0]
            con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("INSERT INTO meta VALUES ('format', ?), ('rules', ?)",
                        [FORMAT, rules.model_dump_json()])
        finally:
            con.close()
        return cls(path, rules, None, count)

    @classmethod
    def open(cls, path: Path) -> "PreparedIndex":
        """An index built before (rules and model, if trained, come from the file)."""
        con = duckdb.connect(str(path), read_only=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            count = con.execute("SELECT count(*) FROM existing").fetchone()[0]
        finally:
            con.close()
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} is not a syncd reconcile index ({meta.get('format')!r})")
        model = json.loads(meta["model"]) if meta.get("model") else None
        return cls(Path(path), MatchingRules.model_validate_json(meta["rules"]), model, count)

    def save_model(self, model: dict) -> None:
        """Keep the trained model in the file, for the next batch and the next run."""
        con = duckdb.connect(str(self.path))
        try:
            con.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", [json.dumps(model)])
        finally:
            con.close()
        self.model = model

    def session(self, *, memory_limit: str = "1500MB") -> duckdb.DuckDBPyConnection:
        """An in-memory connection with this file attached read-only as ``idx``: Splink's
        working tables stay in memory (spilling to disk under pressure), the file untouched."""
        con = duckdb.connect(":memory:")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH '{self.path}' AS idx (READ_ONLY)")
        # Splink finds a table's columns by its bare name: give the attached table one.
        con.execute("CREATE VIEW existing_records AS SELECT * FROM idx.existing")
        return con

    def load_incoming(self, con: duckdb.DuckDBPyConnection, records: Sequence[Mapping],
                      ids: Sequence[str], table: str) -> pa.Table:
        """Put a batch's features in ``table`` and mark the existing side's shared numbers;
        the features, as an Arrow table. Large batches are prepared by worker processes."""
        from syncd.reconcile.parallel import feature_batches

        workers = min(os.cpu_count() or 1, 4) if len(records) >= PARALLEL_FROM else 1
        batch = pa.concat_tables(feature_batches(self.schema, records, ids, CHUNK // 2, workers=workers))
        con.register("batch", batch)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM batch")
        con.unregister("batch")
        for _, p in self.schema.phones:
            con.execute(f'UPDATE {table} SET "{p}_shared" = true WHERE "{p}_e164" IN '
                        f'(SELECT e164 FROM idx.shared_{p})')
        return batch


def _mark_shared(con, schema: Schema, table: str) -> None:
    """Flag switchboards: numbers on at least ``shared_phone_records`` records. Only those
    few rows are updated; the flag stays NULL (not shared) on all others."""
    least = schema.rules.matching.shared_phone_records
    for _, p in schema.phones:
        con.execute(f'CREATE TABLE shared_{p} AS SELECT "{p}_e164" AS e164 FROM {table} '
                    f'WHERE "{p}_e164" IS NOT NULL GROUP BY 1 HAVING count(*) >= {least}')
        con.execute(f'UPDATE {table} SET "{p}_shared" = true WHERE "{p}_e164" IN (SELECT e164 FROM shared_{p})')
