"""The reconciliation engine's entry points.

``prepare`` builds a ``PreparedIndex`` from the existing records (once); ``match`` decides,
for each record of an incoming batch, merge / review / create (or duplicate of an earlier
record in the same batch), with evidence; ``within`` clusters one file's duplicates when
there is no existing side. Splink does the probabilistic linkage on DuckDB.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
from splink import DuckDBAPI, Linker

from syncd.reconcile.decide import Pair, decide
from syncd.reconcile.index import PreparedIndex
from syncd.reconcile.model import dedupe_model, initial_settings, key_columns, prior_from_keys, train
from syncd.reconcile.result import Decision
from syncd.reconcile.rules import MatchingRules
from syncd.reconcile.score import link_pairs, within_pairs

__all__ = ["match", "prepare", "within"]

log = logging.getLogger(__name__)


def prepare(rules: MatchingRules, records: Iterable[Mapping], ids: Iterable[str], path: Path,
            *, workers: int = 1) -> PreparedIndex:
    """Build the index of the existing side at ``path`` (a DuckDB file)."""
    return PreparedIndex.build(rules, records, ids, path, workers=workers)


def match(index: PreparedIndex, records: Sequence[Mapping], ids: Sequence[str]) -> list[Decision]:
    """One decision per incoming record. The first batch large enough trains the model
    (kept in the index); smaller first batches use the comparison priors with u estimated."""
    _check_ids(ids)
    con = index.session()
    try:
        db = DuckDBAPI(connection=con)
        index.load_incoming(con, records, ids, "incoming")
        existing = db.register("existing_records", table_name="existing")
        incoming = db.register("incoming", table_name="incoming_batch")
        model, trained = index.model, False
        if model is None:
            model, trained = _trained(index, con, existing, incoming, len(records)), True
        linker = Linker([existing, incoming], model, log_level=None)
        pairs = link_pairs(linker, existing, incoming, model, key_columns(index.schema))
        clusters = _clusters(db, con, "incoming", model, index.rules, len(records), pairs=None)
    finally:
        con.close()
    if trained:
        index.save_model(model)
    return decide(ids, pairs, clusters, index.rules.matching)


def within(rules: MatchingRules, records: Sequence[Mapping], ids: Sequence[str],
           model: dict | None = None) -> list[list[str]]:
    """Clusters of ids in one file that are the same person (singletons left out)."""
    _check_ids(ids)
    if len(records) < 2:
        return []
    from syncd.reconcile.index import _arrow
    from syncd.reconcile.features import Schema

    schema = Schema(rules)
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    try:
        con.register("batch", _arrow(schema, schema.rows(records, ids)))
        con.execute("CREATE TABLE incoming AS SELECT * FROM batch")
        db = DuckDBAPI(connection=con)
        if model is None:
            model = _file_model(db, schema, len(records))
        return _clusters(db, con, "incoming", model, rules, len(records), pairs=None)
    finally:
        con.close()


def _check_ids(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"id {i!r} appears twice; each record needs its own id")
        seen.add(i)


def _trained(index: PreparedIndex, con, existing, incoming, n: int) -> dict:
    keyed = _keyed_pairs(con, index.schema, "existing_records", "incoming")
    fallback = min(0.5, 0.5 / max(index.count, 1))
    prior = prior_from_keys(keyed, float(index.count) * n, fallback=fallback)
    settings = initial_settings(index.schema, prior=prior)
    linker = Linker([existing, incoming], settings, log_level=None)
    em = index.rules.matching.train and n >= index.rules.matching.min_training_records
    return train(linker, index.schema, em=em)


def _file_model(db: DuckDBAPI, schema, n: int) -> dict:
    """Priors for m, u estimated on the file itself (no existing side to learn from)."""
    settings = initial_settings(schema, prior=0.01)
    settings["link_type"] = "dedupe_only"
    linker = Linker(db.register("incoming", table_name="incoming_u"), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=min(2e6, n * (n - 1) / 2), seed=1)
    return linker.misc.save_model_to_json()


def _keyed_pairs(con: duckdb.DuckDBPyConnection, schema, left: str, right: str) -> int:
    """Pairs sharing a personal email (the deterministic key most files have)."""
    found = 0
    same = " AND a.uid < b.uid" if left == right else ""
    for _, p in schema.emails[:1]:
        found = con.execute(f'SELECT count(*) FROM {left} a JOIN {right} b ON a."{p}_addr" = b."{p}_addr"'
                            + same).fetchone()[0]
    return found


def _dedupe_prior(con: duckdb.DuckDBPyConnection, table: str, schema, n: int) -> float:
    total = n * (n - 1) / 2
    return prior_from_keys(max(_keyed_pairs(con, schema, table, table), 1), total, fallback=1 / total)


def _clusters(db: DuckDBAPI, con, table: str, model: dict, rules: MatchingRules, n: int,
              pairs: list[Pair] | None) -> list[list[str]]:
    from syncd.reconcile.features import Schema

    if n < 2:
        return []
    prior = _dedupe_prior(con, table, Schema(rules), n)
    linker = Linker(db.register(table, table_name=f"{table}_dedupe"), dedupe_model(model, prior=prior),
                    log_level=None)
    found = within_pairs(linker, rules.matching.merge, model, key_columns(Schema(rules)))
    ids = [row[0] for row in con.execute(f"SELECT uid FROM {table}").fetchall()]
    return _union(ids, [(p.existing_id, p.incoming_id) for p in found])


def _union(ids: list[str], links: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components of ``links``, members in ``ids`` order, singletons dropped."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=ids.index)] = min(ra, rb, key=ids.index)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
