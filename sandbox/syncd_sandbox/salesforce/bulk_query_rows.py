"""The rows of a Bulk API 2.0 query job, and the page a results request asks for.

A job keeps the records its query matched (the dicts themselves: every write replaces a
record's dict, never changes it, so they are the job's snapshot) and renders CSV cells only
for the page read, so a job over a million records costs a list of references, not a copy.
Parent fields (``Account.Name``) are read when the page is read.
"""

from __future__ import annotations

import base64
from typing import Any

from .errors import ApiError
from .http import Ctx
from .soql_eval import compile_query
from .soql_parser import parse

__all__ = ["cells", "query_rows", "page_bounds"]


def query_rows(ctx: Ctx, v: str, soql: str, include_deleted: bool) -> tuple[Any, list[dict]]:
    """(compiled query, matching records) of ``soql``; SOQL errors are raised as they are."""
    state = ctx.state
    plan = compile_query(soql, parse(soql), state.schemas, state.store.lookup, v,
                         state.clock().date())
    if plan.count_only or plan.has_offset:
        raise ApiError.of(400, "INVALIDJOB", "InvalidJob : COUNT() and OFFSET are not "
                          "supported by Bulk API 2.0 query jobs")
    rows = plan.run(r for r in state.store.tables[plan.object_name].values()
                    if include_deleted or not r.get("IsDeleted"))
    return plan, rows


def cells(plan: Any, record: dict) -> list[str]:
    """One CSV row of ``record``: the selected columns, as Salesforce writes them."""
    projected = plan.project(record)
    return [_cell(_read(projected, c)) for c in plan.columns]


def _read(projected: dict, column: str) -> object:
    value: object = projected
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def page_bounds(ctx: Ctx, total: int) -> tuple[int, int]:
    """[start, stop) of the rows a results request asks for (``locator``, ``maxRecords``)."""
    raw_locator = ctx.request.args.get("locator") or ""
    start = 0
    if raw_locator:
        try:
            start = int(base64.urlsafe_b64decode(raw_locator.encode() + b"==").decode())
        except (ValueError, UnicodeDecodeError):
            start = -1
        if not 0 < start <= total:
            raise ApiError.of(400, "INVALIDLOCATOR", f"Invalid locator: {raw_locator}")
    raw_max = ctx.request.args.get("maxRecords")
    size = total - start
    if raw_max is not None:
        if not raw_max.isdigit() or int(raw_max) < 1:
            raise ApiError.of(400, "INVALIDREQUEST", "maxRecords must be a positive integer")
        size = int(raw_max)
    return start, min(total, start + size)
