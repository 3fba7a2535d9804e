"""``query`` / ``queryAll`` with server-side cursors paged by ``nextRecordsUrl``."""

from __future__ import annotations

import re

from werkzeug.wrappers import Response

from .errors import ApiError
from .http import Ctx, json_response
from .ids import KEY_PREFIXES, make_id
from .soql_eval import compile_query
from .soql_parser import parse

__all__ = ["ROUTES"]

_MAX_CURSORS = 50
_BATCH = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)


def _batch_size(ctx: Ctx) -> int:
    match = _BATCH.search(ctx.request.headers.get("Sforce-Query-Options", ""))
    # Salesforce honours 200..2000 and falls back to the nearest bound.
    return min(2000, max(200, int(match.group(1)))) if match else 2000


def _page(ctx: Ctx, v: str, endpoint: str, locator: str, rows: list[dict], offset: int,
          batch: int, total: int) -> Response:
    page = rows[offset:offset + batch]
    ctx.served(len(page))
    done = offset + batch >= len(rows)
    body = {"totalSize": total, "done": done}
    if done:
        ctx.state.cursors.pop(locator, None)
    else:
        body["nextRecordsUrl"] = f"/services/data/{v}/{endpoint}/{locator}-{offset + batch}"
    body["records"] = page
    return json_response(body)


def _run(ctx: Ctx, v: str, endpoint: str, include_deleted: bool) -> Response:
    soql = ctx.request.args.get("q")
    if not soql:
        raise ApiError.of(400, "MALFORMED_QUERY", "A query string has to be specified")
    state = ctx.state
    with state.lock:
        plan = compile_query(soql, parse(soql), state.schemas, state.store.lookup, v,
                             state.clock().date())
        table = state.store.tables[plan.object_name].values()
        rows = plan.run(r for r in table if include_deleted or not r.get("IsDeleted"))
        if plan.count_only:
            ctx.served(0)
            return json_response({"totalSize": len(rows), "done": True, "records": []})
        # Snapshot the projected rows: later pages must not move when records change.
        projected = [plan.project(r) for r in rows]
        batch = _batch_size(ctx)
        state.cursor_count += 1
        locator = make_id(KEY_PREFIXES["QueryLocator"], state.cursor_count)
        if len(projected) > batch:
            state.cursors[locator] = (projected, batch)
            while len(state.cursors) > _MAX_CURSORS:  # drop the oldest abandoned cursor
                state.cursors.pop(next(iter(state.cursors)))
        return _page(ctx, v, endpoint, locator, projected, 0, batch, len(projected))


def query(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/query?q=SOQL``."""
    return _run(ctx, v, "query", include_deleted=False)


def query_all(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/queryAll?q=SOQL`` (deleted records included)."""
    return _run(ctx, v, "queryAll", include_deleted=True)


def _more(ctx: Ctx, v: str, endpoint: str, cursor: str) -> Response:
    locator, _, offset = cursor.rpartition("-")
    with ctx.state.lock:
        found = ctx.state.cursors.get(locator)
        if found is None or not offset.isdigit():
            raise ApiError.of(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        rows, batch = found
        return _page(ctx, v, endpoint, locator, rows, int(offset), batch, len(rows))


def query_more(ctx: Ctx, v: str, cursor: str) -> Response:
    """``GET /services/data/{v}/query/{locator}-{offset}``."""
    return _more(ctx, v, "query", cursor)


def query_all_more(ctx: Ctx, v: str, cursor: str) -> Response:
    """``GET /services/data/{v}/queryAll/{locator}-{offset}``."""
    return _more(ctx, v, "queryAll", cursor)


ROUTES = [
    ("GET", "/services/data/{v}/query", query),
    ("GET", "/services/data/{v}/queryAll", query_all),
    ("GET", "/services/data/{v}/query/{cursor}", query_more),
    ("GET", "/services/data/{v}/queryAll/{cursor}", query_all_more),
]
