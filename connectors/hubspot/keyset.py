"""Read every record changed in a time range through CRM search, past the 10,000 cap.

Each page is its own query starting at the last change time seen (keyset paging), so
``after`` never grows, the total-results cap never applies, and records that change
while we read move to the end instead of shifting pages. A full page within one
millisecond is read by ``hs_object_id`` ranges of that millisecond.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from .timeutil import ms_or_none, parse_ms

__all__ = ["count_changed", "record_ms", "scan_changed"]


class _Searcher(Protocol):
    def search(self, object_type: str, body: dict) -> dict: ...


def record_ms(record: dict, time_prop: str) -> int:
    """The record's change time in epoch ms."""
    value = record["properties"].get(time_prop)
    ms = ms_or_none(value)
    return parse_ms(value, field=f"{time_prop} of {record.get('id')}") if ms is None else ms


def _query(groups: list[list[dict]], sort: str, props: Sequence[str], limit: int) -> dict:
    """A search body; ``groups`` are filter groups (ORed), each a list of filters (ANDed).
    Every page is a first page (keyset), so ``after`` is always "0"; the spec requires it."""
    return {"filterGroups": [{"filters": g} for g in groups], "sorts": [sort],
            "properties": list(props), "limit": limit, "after": "0"}


def _ranges(time_prop: str, at: int, until_ms: int | None, skip: Sequence[tuple[int, int]]) -> list[list[dict]]:
    """Filter groups (ORed) for ``at <= time < until`` outside the ``skip`` windows
    (inclusive ``(lo, hi)`` pairs)."""
    def group(lo: int, hi: int | None) -> list[dict]:
        out = [{"propertyName": time_prop, "operator": "GTE", "value": str(lo)}]
        return out + ([] if hi is None else [{"propertyName": time_prop, "operator": "LT", "value": str(hi)}])

    groups, start = [], at
    for lo, hi in sorted(skip):
        if until_ms is not None and lo >= until_ms:
            break
        if hi < start:
            continue
        if lo > start:
            groups.append(group(start, lo))
        start = max(start, hi + 1)
    if until_ms is None or start < until_ms:
        groups.append(group(start, until_ms))
    return groups


def count_changed(api: _Searcher, object_type: str, *, time_prop: str, lo: int, hi: int | None) -> int:
    """How many records have ``lo <= time_prop <= hi`` now (one search call)."""
    filters = [{"propertyName": time_prop, "operator": "GTE", "value": str(lo)}]
    if hi is not None:
        filters.append({"propertyName": time_prop, "operator": "LTE", "value": str(hi)})
    return int(api.search(object_type, _query([filters], time_prop, ["hs_object_id"], 1)).get("total") or 0)


def scan_changed(api: _Searcher, object_type: str, *, time_prop: str, properties: Sequence[str],
                 since_ms: int, until_ms: int | None, page_size: int,
                 skip: Sequence[tuple[int, int]] = (), totals: list[int] | None = None) -> Iterator[list[dict]]:
    """Pages of records with ``since_ms <= time_prop < until_ms``, oldest first, each once;
    none from the ``skip`` windows (inclusive ``(lo, hi)`` epoch-ms pairs). ``totals`` gets
    the first answer's ``total`` (how many records the range holds) before its page."""
    props = list(dict.fromkeys([*properties, time_prop, "hs_object_id"]))
    at, seen_at = since_ms, set()
    while True:
        groups = _ranges(time_prop, at, until_ms, skip)
        if not groups:
            return
        answer = api.search(object_type, _query(groups, time_prop, props, page_size))
        results = answer["results"]
        if totals is not None and not totals:
            totals.append(int(answer.get("total") or len(results)))
        times = [record_ms(r, time_prop) for r in results]
        fresh = [r for r, ms in zip(results, times) if not (ms == at and r["id"] in seen_at)]
        if fresh:
            yield fresh
        if len(results) < page_size:
            return
        last = times[-1]
        if times[0] == last:  # a full page inside one millisecond
            done = {r["id"] for r in results} | (seen_at if at == last else set())
            yield from _scan_instant(api, object_type, time_prop, props, last, done, page_size)
            at, seen_at = last + 1, set()
            continue
        seen_at = ({r["id"] for r, ms in zip(results, times) if ms == last}
                   | (seen_at if last == at else set()))
        at = last


def _scan_instant(api: _Searcher, object_type: str, time_prop: str, props: list[str],
                  ms: int, skip: set[str], page_size: int) -> Iterator[list[dict]]:
    """All records changed at exactly ``ms``, by ascending ``hs_object_id``."""
    after_id: Any = None
    while True:
        filters = [{"propertyName": time_prop, "operator": "EQ", "value": str(ms)}]
        if after_id is not None:
            filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": after_id})
        results = api.search(object_type, _query([filters], "hs_object_id", props, page_size))["results"]
        fresh = [r for r in results if r["id"] not in skip]
        if fresh:
            yield fresh
        if len(results) < page_size:
            return
        after_id = results[-1]["id"]
