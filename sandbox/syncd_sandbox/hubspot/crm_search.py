"""POST /crm/v3/objects/{type}/search: offset pages over results cached per state version."""

from __future__ import annotations

from typing import Any

from .crm_read import defined_props, props_for
from .errors import ApiError
from .filters import matching_ids
from .http import Ctx, json_response
from .records import render
from .search import parse_query

__all__ = ["search"]

_CACHE_SIZE = 64


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


def _cached_ids(state: Any, object_type: str, q: Any) -> list[str]:
    """Matching ids, computed once per (query, state version) so later pages are slices."""
    key = (object_type, q.key)
    hit = state.search_cache.get(key)
    if hit is not None and hit[0] == state.version:
        return hit[1]
    store = state.stores[object_type]
    ids = matching_ids((store.records[i] for i in store.ids_in_order()), q,
                       state.kind_of(object_type))
    if len(state.search_cache) >= _CACHE_SIZE:
        state.search_cache.clear()
    state.search_cache[key] = (state.version, ids)
    return ids
