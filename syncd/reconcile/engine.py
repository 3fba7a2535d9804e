"""The reconciliation engine's entry points.

``prepare`` builds a ``PreparedIndex`` from the existing records (once); ``match`` decides,
for each record of an incoming batch, merge / review / create (or duplicate of an earlier
record in the same batch), with evidence; ``within`` clusters one file's duplicates when
there is no existing side. Splink does the probabilistic linkage on DuckDB.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
from splink import DuckDBAPI, Linker

from syncd.reconcile.decide import decide
from syncd.reconcile.features import Schema
from syncd.reconcile.index import PreparedIndex
from syncd.reconcile.model import dedupe_model, initial_settings, key_columns, prior_from_keys, train
from syncd.reconcile.result import Decision
from syncd.reconcile.rules import MatchingRules
from syncd.reconcile.score import link_pairs, within_pairs

__all__ = ["check_ids", "cluster", "match", "prepare", "prepare_arrow", "union", "within"]

log = logging.getLogger(__name__)


def prepare(rules: MatchingRules, records: Iterable[Mapping], ids: Iterable[str], path: Path,
            *, workers: int = 1) -> PreparedIndex:
    """Build the index of the existing side at ``path`` (a DuckDB file)."""
    return PreparedIndex.build(rules, records, ids, path, workers=workers)


def prepare_arrow(rules: MatchingRules, batches, id_column: str, path: Path, *, workers: int = 1) -> PreparedIndex:
    """``prepare`` from Arrow record batches whose ``id_column`` holds each record's id."""
    return PreparedIndex.build_from_arrow(rules, batches, id_column, path, workers=workers)


def match(index: PreparedIndex, records: Sequence[Mapping], ids: Sequence[str]) -> list[Decision]:
    """One decision per incoming record. The first batch large enough trains the model
    (kept in the index); smaller first batches use the comparison priors with u estimated."""
    check_ids(ids)
    con = index.session()
    try:
        db = DuckDBAPI(connection=con)
        feats = index.load_incoming(con, records, ids, "incoming")
        existing = db.register("existing_records", table_name="existing")
        incoming = db.register("incoming", table_name="incoming_batch")
        model, trained = index.model, False
        if model is None:
            model, trained = _trained(index, con, existing, incoming, len(records)), True
        linker = Linker([existing, incoming], model, log_level=None)
        pairs = link_pairs(linker, existing, incoming, model, key_columns(index.schema))
        clusters = cluster(lambda name: db.register("incoming", table_name=name), feats, model, index.rules)
    finally:
        con.close()
    if trained:
        index.save_model(model)
    return decide(ids, pairs, clusters, index.rules.matching)


def within(rules: MatchingRules, records: Sequence[Mapping], ids: Sequence[str],
           model: dict | None = None) -> list[list[str]]:
    """Clusters of ids in one file that are the same person (singletons left out)."""
    check_ids(ids)
    if len(records) < 2:
        return []
    schema = Schema(rules)
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    try:
        feats = schema.rows(records, ids)
        con.register("batch", feats)
        con.execute("CREATE TABLE incoming AS SELECT * FROM batch")
        db = DuckDBAPI(connection=con)
        if model is None:
            model = _file_model(db, schema, len(records))
        return cluster(lambda name: db.register("incoming", table_name=name), feats, model, rules)
    finally:
        con.close()


def check_ids(ids: Sequence[str]) -> None:
    """Each record needs its own id; a repeated one is refused with its value."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"id {i!r} appears twice; each record needs its own id")
        seen.add(i)


def _trained(index: PreparedIndex, con, existing, incoming, n: int) -> dict:
    keyed = con.execute(_keyed_sql(index.schema)).fetchone()[0] if index.schema.emails else 0
    fallback = min(0.5, 0.5 / max(index.count, 1))
    prior = prior_from_keys(keyed, float(index.count) * n, fallback=fallback)
    settings = initial_settings(index.schema, prior=prior)
    linker = Linker([existing, incoming], settings, log_level=None)
    em = index.rules.matching.train and n >= index.rules.matching.min_training_records
    return train(linker, index.schema, em=em)


def _keyed_sql(schema: Schema) -> str:
    p = schema.emails[0][1]
    return f'SELECT count(*) FROM existing_records a JOIN incoming b ON a."{p}_addr" = b."{p}_addr"'


def _file_model(db: DuckDBAPI, schema: Schema, n: int) -> dict:
    """Priors for m, u estimated on the file itself (no existing side to learn from)."""
    settings = initial_settings(schema, prior=0.01)
    settings["link_type"] = "dedupe_only"
    linker = Linker(db.register("incoming", table_name="incoming_u"), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=min(2e6, n * (n - 1) / 2), seed=1,
                                                     num_chunks=1)
    return linker.misc.save_model_to_json()


def dedupe_prior(schema: Schema, feats) -> float:
    """The prior for pairs inside one batch, from the pairs sharing a personal email."""
    n = feats.num_rows
    total = n * (n - 1) / 2
    keyed = 0
    if schema.emails:
        counts = Counter(v for v in feats.column(f"{schema.emails[0][1]}_addr").to_pylist() if v)
        keyed = sum(c * (c - 1) // 2 for c in counts.values())
    return prior_from_keys(max(keyed, 1), total, fallback=1 / total)


def cluster(register, feats, model: dict, rules: MatchingRules) -> list[list[str]]:
    """Same-person clusters inside one batch (its features, an Arrow table): pairs at or
    above the merge threshold. ``register(name)`` registers the batch's table with Splink
    under a fresh name."""
    ids = feats.column("uid").to_pylist()
    if len(ids) < 2:
        return []
    schema = Schema(rules)
    linker = Linker(register("incoming_dedupe"), dedupe_model(model, prior=dedupe_prior(schema, feats)),
                    log_level=None)
    found = within_pairs(linker, rules.matching.merge, model, key_columns(schema))
    return union(ids, [(p.existing_id, p.incoming_id) for p in found])


def union(ids: list[str], links: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components of ``links``, members in ``ids`` order, singletons dropped."""
    order = {i: n for n, i in enumerate(ids)}
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=order.__getitem__)
            parent[second] = first
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
