"""POST /crm/v3/objects/{type}/search: offset pages over results cached per state version.

A query whose every filter group bounds a date or number property (``lastmodifieddate GTE
t AND LT u``, ``hs_object_id GT i``, ...) finds its candidates by bisection in a sorted
index of that property instead of testing every record, and then applies the full filter
logic to those candidates only; when every filter bounds the property the query sorts by,
its results are read straight off the index. Indexes are built on first use and dropped
when the state version moves, so paging a million contacts by change time costs a
bisection per page, not a scan.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from typing import Any

from .crm_read import defined_props, props_for
from .errors import ApiError
from .filters import INDEX_KINDS, RANGE_OPS, bounds, matching_ids, value_of
from .http import Ctx, json_response
from .records import render
from .search import parse_query

__all__ = ["search", "PropertyIndex", "indexed_ids"]

_CACHE_SIZE = 64
_SMALL = 2048  # candidates cheap enough to test without building another property's index


def search(ctx: Ctx, object_type: str) -> Any:
    """POST /crm/v3/objects/{type}/search with HubSpot's total-results cap."""
    q = parse_query(ctx.body())
    cap = ctx.settings.search_total_cap
    if q.offset >= cap:
        raise ApiError.validation(f"after: paging past {cap} results is not allowed; narrow "
                                  "the filters (e.g. a time window) instead", field="after")
    state = ctx.state
    with state.lock:
        ids = _cached_ids(state, object_type, q)
        store = state.stores[object_type]
        props = props_for(object_type, q.properties)
        defined = defined_props(ctx, object_type)
        results = [render(store.records[i], props, None, defined)
                   for i in ids[q.offset:min(q.offset + q.limit, cap)]]
    body: dict[str, Any] = {"total": len(ids), "results": results}
    if q.offset + q.limit < len(ids):
        nxt = str(q.offset + q.limit)
        body["paging"] = {"next": {"after": nxt, "link": f"?after={nxt}"}}
    return json_response(body)


def _cached_ids(state: Any, object_type: str, q: Any) -> Sequence[str]:
    """Matching ids, computed once per (query, state version) so later pages are slices."""
    key = (object_type, q.key)
    hit = state.search_cache.get(key)
    if hit is not None and hit[0] == state.version:
        return hit[1]
    ids = indexed_ids(state, object_type, q)
    if ids is None:
        store = state.stores[object_type]
        ids = matching_ids((store.records[i] for i in store.ids_in_order()), q,
                           state.kind_of(object_type))
    if len(state.search_cache) >= _CACHE_SIZE:
        state.search_cache.clear()
    state.search_cache[key] = (state.version, ids)
    return ids


class PropertyIndex:
    """Live records of one object type with a comparable value of one property, sorted by
    (value, list position); ``ids`` is the list order the positions refer to."""

    def __init__(self, ids: list[str], records: dict[str, Any], name: str, kind: str):
        self.ids, self.kind = ids, kind
        found: list[Any] = []
        where: list[int] = []
        for pos, record_id in enumerate(ids):
            record = records[record_id]
            if record.archived:
                continue
            value = value_of(kind, record.properties.get(name))
            if value is not None:
                found.append(value)
                where.append(pos)
        order = sorted(range(len(found)), key=found.__getitem__)  # stable: ties by position
        values = [found[i] for i in order]
        try:  # compact at a million records: 8 bytes a value instead of an object each
            self.values: Sequence[Any] = array("q" if kind != "number" else "d", values)
        except (TypeError, OverflowError):
            self.values = values
        self.positions = array("q", [where[i] for i in order])

    def __len__(self) -> int:
        return len(self.positions)

    def span(self, f: dict) -> tuple[int, int]:
        """Index entries ``[lo, hi)`` whose value a range/equality filter accepts."""
        found = bounds(f, self.kind)
        if found is None:
            return 0, 0
        low, low_in, high, high_in = found
        lo = 0 if low is None else (bisect.bisect_left if low_in else bisect.bisect_right)(self.values, low)
        hi = len(self.values) if high is None else (bisect.bisect_right if high_in else bisect.bisect_left)(self.values, high)
        return lo, max(lo, hi)


def _index(state: Any, object_type: str, name: str, kind: str) -> PropertyIndex:
    """The index of ``name`` at the current state version (built on first use)."""
    held = getattr(state, "_search_indexes", None)
    if held is None or held[0] != state.version:
        held = (state.version, {}, {})
        state._search_indexes = held
    _, indexes, orders = held
    index = indexes.get((object_type, name))
    if index is None:
        store = state.stores[object_type]
        ids = orders.get(object_type)
        if ids is None:
            ids = orders[object_type] = store.ids_in_order()
        index = indexes[(object_type, name)] = PropertyIndex(ids, store.records, name, kind)
    return index


def _group_span(state: Any, object_type: str, group: list[dict], kind_of: Any) -> tuple[str, PropertyIndex, int, int] | None:
    """The narrowest index span holding every record the ANDed ``group`` can match: per
    indexable property, the intersection of its filters' spans; ``None`` when none is."""
    by_prop: dict[str, list[dict]] = {}
    for f in group:
        if f["operator"] in RANGE_OPS and kind_of(f["propertyName"]) in INDEX_KINDS:
            by_prop.setdefault(f["propertyName"], []).append(f)
    built = getattr(state, "_search_indexes", None)
    built = built[1] if built is not None and built[0] == state.version else {}
    best = None
    # Indexes already built first; a new one only while no span is already small.
    for name in sorted(by_prop, key=lambda n: (object_type, n) not in built):
        filters = by_prop[name]
        if best is not None and best[3] - best[2] <= _SMALL and (object_type, name) not in built:
            continue
        index = _index(state, object_type, name, kind_of(name))
        lo, hi = 0, len(index)
        for f in filters:
            f_lo, f_hi = index.span(f)
            lo, hi = max(lo, f_lo), min(hi, f_hi)
        hi = max(lo, hi)
        if best is None or hi - lo < best[3] - best[2]:
            best = (name, index, lo, hi)
    return best


def indexed_ids(state: Any, object_type: str, q: Any) -> Sequence[str] | None:
    """The ids the full scan would return, found through property indexes; ``None`` when
    some filter group bounds no date or number property (the caller scans)."""
    if not q.groups:
        return None
    kind_of = state.kind_of(object_type)
    spans = []
    for group in q.groups:
        span = _group_span(state, object_type, group, kind_of)
        if span is None:
            return None
        spans.append(span)
    first = spans[0][1]
    sort_name = q.sort[0] if q.sort is not None else None
    exact = q.query is None and all(f["propertyName"] == sort_name and f["operator"] in RANGE_OPS
                                    for g in q.groups for f in g)
    if exact:  # the spans are exactly the matches, already in sort order
        return _IndexRun(first, [(lo, hi) for _, _, lo, hi in spans], q.sort[1])
    positions: set[int] = set()
    for _, index, lo, hi in spans:
        positions.update(index.positions[lo:hi])
    ids, records = first.ids, state.stores[object_type].records
    return matching_ids((records[ids[p]] for p in sorted(positions)), q, kind_of)


class _IndexRun(Sequence):
    """The ids of a union of index spans, ascending by (value, position), or descending by
    value with ties still by position (as a stable descending sort leaves them)."""

    def __init__(self, index: PropertyIndex, spans: list[tuple[int, int]], descending: bool):
        merged: list[list[int]] = []
        for lo, hi in sorted(s for s in spans if s[0] < s[1]):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        if descending:
            merged.reverse()
        self.index, self.descending = index, descending
        self.spans = [(lo, hi) for lo, hi in merged]
        self.starts: list[int] = []
        total = 0
        for lo, hi in self.spans:
            self.starts.append(total)
            total += hi - lo
        self.total = total

    def __len__(self) -> int:
        return self.total

    def _entry(self, k: int) -> int:
        """Index entry of the ``k``-th result."""
        n = bisect.bisect_right(self.starts, k) - 1
        lo, hi = self.spans[n]
        j = k - self.starts[n]
        if not self.descending:
            return lo + j
        # Descending: blocks of equal values in reverse, each block in position order.
        values = self.index.values
        v = values[hi - 1 - j]
        b_lo = bisect.bisect_left(values, v, lo, hi)
        b_hi = bisect.bisect_right(values, v, lo, hi)
        return b_lo + j - (hi - b_hi)

    def __getitem__(self, item: Any) -> Any:
        ids, positions = self.index.ids, self.index.positions
        if isinstance(item, slice):
            return [ids[positions[self._entry(k)]] for k in range(*item.indices(self.total))]
        if item < 0:
            item += self.total
        if not 0 <= item < self.total:
            raise IndexError(item)
        return ids[positions[self._entry(item)]]
