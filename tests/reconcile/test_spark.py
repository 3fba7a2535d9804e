"""The same rules on a local Spark session give the same decisions as on DuckDB.

Needs pyspark (test extras) and a Java runtime (``make test`` installs
default-jre-headless when ``java`` is missing)."""

from __future__ import annotations

import pytest

from syncd.reconcile.engine import match, prepare
from syncd.reconcile.spark import local_session, match_on_spark

from .world_data import world_data


@pytest.fixture(scope="module")
def spark():
    session = local_session(cores=2, memory="1g")
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_backend_decides_as_duckdb(rules, spark, tmp_path):
    data = world_data(0, 200)
    index = prepare(rules, data.existing, data.existing_ids, tmp_path / "idx.duckdb")
    on_duckdb = match(index, data.incoming, data.incoming_ids)
    on_spark = match_on_spark(spark, rules, data.existing, data.existing_ids, data.incoming,
                              data.incoming_ids, model=index.model)
    assert len(on_duckdb) == len(on_spark) == len(data.incoming_ids) >= 80
    key = lambda d: (d.incoming_id, d.decision, d.existing_id, d.duplicate_of)  # noqa: E731
    assert [key(d) for d in on_spark] == [key(d) for d in on_duckdb]
    assert {d.decision for d in on_duckdb} >= {"merge", "create"}
    for a, b in zip(on_duckdb, on_spark):
        if a.match_probability is not None:
            assert b.match_probability == pytest.approx(a.match_probability, abs=1e-9)
