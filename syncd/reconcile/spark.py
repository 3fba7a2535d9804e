"""The same rules on Splink's Spark backend (``[matching] backend = "spark"``), for very
large one-off runs beyond one machine. Features are the same Python values; comparisons
and blocking are the same Splink definitions, written for Spark's SQL by Splink; the
decisions come from the same ``decide``. Needs pyspark and a Java runtime.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence

import pyarrow as pa

from syncd.reconcile.decide import decide
from syncd.reconcile.engine import check_ids, cluster
from syncd.reconcile.features import Schema
from syncd.reconcile.model import initial_settings, key_columns, prior_from_keys, train, with_parameters
from syncd.reconcile.result import Decision
from syncd.reconcile.rules import MatchingRules
from syncd.reconcile.score import link_pairs

__all__ = ["local_session", "match_on_spark"]


def local_session(*, cores: int = 2, memory: str = "2g"):
    """A local Spark session with Splink's similarity functions (jaro_winkler, …) loaded."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (SparkSession.builder.master(f"local[{cores}]").appName("syncd-reconcile")
             .config("spark.jars", similarity_jar_location())
             .config("spark.driver.memory", memory).config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", str(cores * 2)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    # Splink checkpoints intermediate tables on Spark; they go to a scratch directory.
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="syncd-spark-"))
    return spark


def match_on_spark(spark, rules: MatchingRules, existing: Sequence[Mapping], existing_ids: Sequence[str],
                   incoming: Sequence[Mapping], incoming_ids: Sequence[str], *,
                   model: dict | None = None) -> list[Decision]:
    """One decision per incoming record, computed by Spark; ``model`` (trained on any
    backend) is used as given, else the model is trained on Spark."""
    from splink import Linker, SparkAPI

    check_ids(existing_ids)
    check_ids(incoming_ids)
    schema = Schema(rules)
    ex, inc = schema.rows(existing, existing_ids), schema.rows(incoming, incoming_ids)
    ex, inc = _mark_shared(schema, ex, inc)
    db = SparkAPI(spark_session=spark)
    ex_df, inc_df = (spark.createDataFrame(f) for f in (ex, inc))
    ex_sdf = db.register(ex_df, table_name="existing")
    inc_sdf = db.register(inc_df, table_name="incoming_batch")
    prior = _prior(schema, ex, inc)
    settings = initial_settings(schema, prior=prior, dialect="spark")
    if model is None:
        em = rules.matching.train and len(incoming) >= rules.matching.min_training_records
        model = train(Linker([ex_sdf, inc_sdf], settings, log_level=None), schema, em=em)
    model = with_parameters(settings, model)
    pairs = link_pairs(Linker([ex_sdf, inc_sdf], model, log_level=None), ex_sdf, inc_sdf, model,
                       key_columns(schema))
    clusters = cluster(lambda name: db.register(inc_df, table_name=name), inc, model, rules)
    return decide(list(incoming_ids), pairs, clusters, rules.matching)


def _mark_shared(schema: Schema, ex: pa.Table, inc: pa.Table) -> tuple[pa.Table, pa.Table]:
    least = schema.rules.matching.shared_phone_records
    for _, p in schema.phones:
        counts = Counter(v for v in ex.column(f"{p}_e164").to_pylist() if v)
        shared = {v for v, c in counts.items() if c >= least}
        ex, inc = (_with_flags(side, p, shared) for side in (ex, inc))
    return ex, inc


def _with_flags(table: pa.Table, p: str, shared: set[str]) -> pa.Table:
    flags = pa.array([v in shared if v else None for v in table.column(f"{p}_e164").to_pylist()], pa.bool_())
    return table.set_column(table.schema.get_field_index(f"{p}_shared"), f"{p}_shared", flags)


def _prior(schema: Schema, ex: pa.Table, inc: pa.Table) -> float:
    n_ex, n_in = ex.num_rows, inc.num_rows
    keyed = 0
    if schema.emails:
        col = f"{schema.emails[0][1]}_addr"
        counts = Counter(v for v in ex.column(col).to_pylist() if v)
        keyed = sum(counts.get(v, 0) for v in inc.column(col).to_pylist() if v)
    return prior_from_keys(keyed, float(n_ex) * n_in, fallback=min(0.5, 0.5 / max(n_ex, 1)))
