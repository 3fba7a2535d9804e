"""Search requests: validation of filter groups, sorts, limit and cursor, naming the field at fault."""

from __future__ import annotations

import json
from typing import Any

from .errors import ApiError

__all__ = ["SearchQuery", "parse_query"]

MAX_GROUPS = 6
MAX_FILTERS = 18
MAX_LIMIT = 200
_VALUE_OPS = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}
_ALL_OPS = _VALUE_OPS | {"BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY"}


class SearchQuery:
    """A validated search request; ``key`` identifies its result set for caching."""

    def __init__(self, groups: list[list[dict]], sort: tuple[str, bool] | None,
                 query: str | None, limit: int, offset: int, properties: list[str] | None):
        self.groups, self.sort, self.query = groups, sort, query
        self.limit, self.offset, self.properties = limit, offset, properties
        self.key = json.dumps([groups, sort, query], sort_keys=True)


def _bad(message: str, field: str) -> ApiError:
    return ApiError.validation(message, field=field)


def parse_query(body: Any) -> SearchQuery:
    """Validate a PublicObjectSearchRequest body, naming the field at fault."""
    if not isinstance(body, dict):
        raise _bad("The search request body must be a JSON object", "body")
    groups = body.get("filterGroups") or []
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise _bad(f"filterGroups: at most {MAX_GROUPS} filter groups are allowed", "filterGroups")
    parsed = [_parse_group(g, i) for i, g in enumerate(groups)]
    if sum(len(g) for g in parsed) > MAX_FILTERS:
        raise _bad(f"filterGroups: at most {MAX_FILTERS} filters in total are allowed",
                   "filterGroups")
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_LIMIT:
        raise _bad(f"limit: must be an integer from 1 to {MAX_LIMIT}, got {limit!r}", "limit")
    after = body.get("after") or "0"
    if not str(after).isdigit():
        raise _bad(f"after: {after!r} is not a paging cursor returned by this search", "after")
    props = body.get("properties") or None
    if props is not None and not (isinstance(props, list) and all(isinstance(p, str) for p in props)):
        raise _bad("properties: must be a list of property names", "properties")
    query = body.get("query")
    return SearchQuery(parsed, _parse_sorts(body.get("sorts") or []),
                       query if isinstance(query, str) and query.strip() else None,
                       limit, int(after), props)


def _parse_group(group: Any, index: int) -> list[dict]:
    filters = group.get("filters") if isinstance(group, dict) else None
    if not isinstance(filters, list):
        raise _bad(f"filterGroups[{index}].filters: must be a list of filters", "filterGroups")
    for j, f in enumerate(filters):
        where = f"filterGroups[{index}].filters[{j}]"
        if not isinstance(f, dict) or not isinstance(f.get("propertyName"), str):
            raise _bad(f"{where}.propertyName: is required", "filterGroups")
        op = f.get("operator")
        if not isinstance(op, str) or op not in _ALL_OPS:
            raise _bad(f"{where}.operator: {op!r} is not one of {', '.join(sorted(_ALL_OPS))}",
                       "filterGroups")
        _check_scalars(f, where)
        if op in _VALUE_OPS and f.get("value") is None:
            raise _bad(f"{where}.value: is required for operator {op}", "filterGroups")
        if op == "BETWEEN" and (f.get("value") is None or f.get("highValue") is None):
            raise _bad(f"{where}: BETWEEN needs value and highValue", "filterGroups")
        if op in {"IN", "NOT_IN"} and not isinstance(f.get("values"), list):
            raise _bad(f"{where}.values: a list is required for operator {op}", "filterGroups")
    return [{k: f[k] for k in ("propertyName", "operator", "value", "highValue", "values") if k in f}
            for f in filters]


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _check_scalars(f: dict, where: str) -> None:
    """Filter values are strings (numbers and booleans are read as their text), else 400."""
    for key in ("value", "highValue"):
        if not _scalar(f.get(key)):
            raise _bad(f"{where}.{key}: must be a string", "filterGroups")
    values = f.get("values")
    if values is not None and not (isinstance(values, list) and all(_scalar(v) for v in values)):
        raise _bad(f"{where}.values: must be a list of strings", "filterGroups")


def _parse_sorts(sorts: Any) -> tuple[str, bool] | None:
    if not isinstance(sorts, list) or len(sorts) > 1:
        raise _bad("sorts: at most one sort is allowed", "sorts")
    if not sorts:
        return None
    sort = sorts[0]
    if isinstance(sort, str):  # the SDK types sorts as strings: "prop" or "-prop"
        return (sort.lstrip("-"), sort.startswith("-"))
    if isinstance(sort, dict) and isinstance(sort.get("propertyName"), str):
        direction = sort.get("direction", "ASCENDING")
        if not isinstance(direction, str) or direction not in {"ASCENDING", "DESCENDING"}:
            raise _bad(f"sorts[0].direction: {direction!r} is not ASCENDING or DESCENDING", "sorts")
        return (sort["propertyName"], direction == "DESCENDING")
    raise _bad("sorts[0]: use {\"propertyName\": ..., \"direction\": \"ASCENDING\"}", "sorts")
