"""Feature batches, computed in worker processes when there are many records.

The normalisers are pure functions, so chunks of records can be prepared side by side;
a million CRM records take one pass per core instead of one pass in total.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

import pyarrow as pa

from syncd.reconcile.features import Schema

__all__ = ["arrow_feature_batches", "feature_batches"]


def _chunks(records: Iterable[Mapping], ids: Iterable[str], size: int) -> Iterator[tuple[list, list]]:
    rec_it, id_it = iter(records), iter(ids)
    while True:
        recs = list(islice(rec_it, size))
        if not recs:
            return
        yield recs, list(islice(id_it, len(recs)))


def _work(args: tuple[Schema, list, list]) -> dict[str, list]:
    schema, recs, ids = args
    return schema.rows(recs, ids)


def feature_batches(schema: Schema, records: Iterable[Mapping], ids: Iterable[str], size: int,
                    *, workers: int = 1) -> Iterator[dict[str, list]]:
    """Columnar features, one dict of lists per ``size`` records, in input order."""
    chunks = _chunks(records, ids, size)
    if workers <= 1:
        for recs, chunk_ids in chunks:
            yield schema.rows(recs, chunk_ids)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        for recs, chunk_ids in chunks:
            pending.append(pool.submit(_work, (schema, recs, chunk_ids)))
            if len(pending) > workers:  # bounded: at most workers + 1 chunks in memory
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _work_arrow(args: tuple[Schema, pa.RecordBatch, str]) -> pa.Table:
    schema, batch, id_column = args
    cols = batch.to_pydict()
    names = list(cols)
    records = [dict(zip(names, values)) for values in zip(*cols.values())]
    return schema.rows(records, (str(i) for i in cols[id_column]))


def arrow_feature_batches(schema: Schema, batches: Iterable[pa.RecordBatch], id_column: str,
                          *, workers: int = 1) -> Iterator[pa.Table]:
    """Features of Arrow record batches (the id in ``id_column``): batches cross to the
    workers in Arrow's own format, far cheaper than pickled dicts."""
    jobs = ((schema, batch, id_column) for batch in batches)
    if workers <= 1:
        yield from map(_work_arrow, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        for job in jobs:
            pending.append(pool.submit(_work_arrow, job))
            if len(pending) > workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
