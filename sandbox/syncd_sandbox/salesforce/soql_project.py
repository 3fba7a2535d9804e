"""Filtering, ordering, paging and projection of a compiled SOQL query."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .soql_eval import CompiledQuery, _fold
from .soql_parser import Query

__all__ = ["build_plan"]


def _sorter(comp, query: Query) -> Callable[[list[dict]], list[dict]]:
    keys = []
    for item in query.order:
        col = comp.column(item.field)
        keys.append((comp.getter(col), col.field, item.descending, item.nulls_last))

    def sort(rows: list[dict]) -> list[dict]:
        # One stable pass per key, least significant first, gives a lexicographic order.
        for get, fld, desc, nulls_last in reversed(keys):
            present = [r for r in rows if get(r) is not None]
            missing = [r for r in rows if get(r) is None]
            present.sort(key=lambda r: _fold(fld, get(r)), reverse=desc)
            rows = present + missing if nulls_last else missing + present
        return rows
    return sort


def _projector(comp, query: Query, version: str) -> Callable[[dict], dict]:
    obj = comp.schema.name
    cols = [comp.column(f) for f in query.fields]
    lookup = comp.lookup

    def project(rec: dict) -> dict:
        out = {"attributes": {"type": obj,
                              "url": f"/services/data/{version}/sobjects/{obj}/{rec['Id']}"}}
        for col in cols:
            if col.reference is None:
                out[col.field.name] = rec.get(col.field.name)
                continue
            rel = col.path[0]
            parent = lookup(rec[col.reference.name]) if rec.get(col.reference.name) else None
            if parent is None:
                out[rel] = None
                continue
            kind, prec = parent
            nested = out.get(rel) or {"attributes": {
                "type": kind, "url": f"/services/data/{version}/sobjects/{kind}/{prec['Id']}"}}
            nested[col.field.name] = prec.get(col.field.name)
            out[rel] = nested
        return out
    return project


def build_plan(comp, query: Query, where, version: str) -> CompiledQuery:
    """Combine the compiled filter, sort, offset/limit and projection into one plan."""
    sort = _sorter(comp, query) if query.order else None
    start = query.offset or 0
    stop = None if query.limit is None else start + query.limit

    def run(rows: Iterable[dict]) -> list[dict]:
        selected = [r for r in rows if where(r)] if where else list(rows)
        if sort:
            selected = sort(selected)
        return selected[start:stop]

    columns = tuple(".".join(comp.column(f).path) for f in query.fields)
    return CompiledQuery(object_name=comp.schema.name, count_only=query.count, run=run,
                         project=_projector(comp, query, version), columns=columns,
                         has_offset=query.offset is not None)
