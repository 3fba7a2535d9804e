"""Evaluating a search: HubSpot's filter operators, free-text query and one-property sort."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from .search import SearchQuery
from .timeutil import parse_time, to_ms

__all__ = ["matching_ids", "value_of", "bounds", "INDEX_KINDS", "RANGE_OPS"]

_TOKEN_SPLIT = re.compile(r"[^\w*@.]+")
DEFAULT_QUERY_PROPS = ("email", "firstname", "lastname", "phone", "company")


@lru_cache(maxsize=1 << 18)  # stored dates are strings; each is parsed once, not per query
def _date_ms(raw: str) -> int | None:
    try:
        return to_ms(parse_time(raw))
    except ValueError:
        return None


def _coerce(kind: str, raw: Any) -> Any:
    """Comparable form of a value: ms for dates, float for numbers, lower-case text."""
    if raw is None:
        return None
    try:
        if kind in {"datetime", "date"}:
            return _date_ms(str(raw))
        if kind == "number":
            return float(raw)
    except ValueError:
        return None
    return str(raw).lower()


INDEX_KINDS = frozenset({"datetime", "date", "number"})
RANGE_OPS = frozenset({"EQ", "GT", "GTE", "LT", "LTE", "BETWEEN"})


def value_of(kind: str, raw: Any) -> Any:
    """A stored value as filters compare it (``None`` when missing or unparseable; NaN,
    which no comparison matches, counts as unparseable)."""
    have = None if raw in (None, "") else _coerce(kind, raw)
    return None if have != have else have  # NaN != NaN


def bounds(f: dict, kind: str) -> tuple[Any, bool, Any, bool] | None:
    """The value range a range/equality filter accepts, as ``(low, low_inclusive, high,
    high_inclusive)`` with ``None`` for an open end; ``None`` when it accepts no value at
    all (an unparseable bound, as in ``_compile_filter``)."""
    op = f["operator"]
    target = value_of(kind, f.get("value"))
    if target is None:
        return None
    if op == "BETWEEN":
        high = value_of(kind, f.get("highValue"))
        return None if high is None else (target, True, high, True)
    return {"EQ": (target, True, target, True), "GT": (target, False, None, False),
            "GTE": (target, True, None, False), "LT": (None, False, target, False),
            "LTE": (None, False, target, True)}[op]


def _tokens(value: str) -> list[str]:
    return [t for t in _TOKEN_SPLIT.split(value) if t]


def _contains_token(value: str, token: str) -> bool:
    token = token.lower()
    if "*" in token:
        return fnmatch.fnmatchcase(value, token) or any(fnmatch.fnmatchcase(t, token)
                                                         for t in _tokens(value))
    return token == value or token in _tokens(value) or token in value.split("@")


def _compile_filter(f: dict, kind_of: Callable[[str], str]) -> Callable[[dict], bool]:
    name, op = f["propertyName"], f["operator"]
    kind = kind_of(name)
    if op == "HAS_PROPERTY":
        return lambda p: p.get(name) not in (None, "")
    if op == "NOT_HAS_PROPERTY":
        return lambda p: p.get(name) in (None, "")
    target = _coerce(kind, f.get("value"))
    high = _coerce(kind, f.get("highValue"))
    values = {_coerce(kind, v) for v in f.get("values") or []}

    def test(p: dict) -> bool:
        raw = p.get(name)
        have = None if raw in (None, "") else _coerce(kind, raw)
        if op in {"NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN"}:
            if have is None:
                return True
            if op == "NEQ":
                return have != target
            if op == "NOT_IN":
                return have not in values
            return not _contains_token(str(have), str(target))
        if have is None:
            return False
        if op == "EQ":
            return have == target
        if op == "IN":
            return have in values
        if op == "CONTAINS_TOKEN":
            return _contains_token(str(have), str(target))
        if op == "BETWEEN":
            return target is not None and high is not None and target <= have <= high
        if target is None:
            return False
        return {"LT": have < target, "LTE": have <= target,
                "GT": have > target, "GTE": have >= target}[op]
    return test


def matching_ids(records: Iterable[Any], q: SearchQuery, kind_of: Callable[[str], str]) -> list[str]:
    """Ids of live records matching ``q``, sorted by its sort (ties and default: by id)."""
    groups = [[_compile_filter(f, kind_of) for f in g] for g in q.groups]
    query = q.query.lower() if q.query else None
    hits = []
    for r in records:
        if r.archived:
            continue
        p = r.properties
        if groups and not any(all(t(p) for t in g) for g in groups):
            continue
        if query and not any(query in str(p.get(n) or "").lower() for n in DEFAULT_QUERY_PROPS):
            continue
        hits.append(r)
    if q.sort is None:
        return [r.id for r in hits]  # records arrive in id order
    name, descending = q.sort
    kind = kind_of(name)
    keyed = [(_coerce(kind, r.properties.get(name) or None), r.id) for r in hits]
    present = [pair for pair in keyed if pair[0] is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties stay in id order
    absent = [i for v, i in keyed if v is None]
    # Records without a value come last in either direction, as in HubSpot.
    return [i for _, i in present] + absent
