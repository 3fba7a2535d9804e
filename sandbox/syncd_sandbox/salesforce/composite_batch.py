"""Composite Batch: up to 25 independent subrequests in one call (one API call counted).

The emulator serves the subrequests syncd sends this way: ``GET`` of ``query``, ``queryAll``
and their ``nextRecordsUrl`` pages. Any other subrequest gets Salesforce's per-subrequest
error shape with a 400, as an unsupported resource would.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from . import query
from .errors import ApiError
from .http import Ctx, json_response, read_json

__all__ = ["ROUTES"]

_MAX = 25
_HANDLERS = {("query", False): query.query, ("queryAll", False): query.query_all,
             ("query", True): query.query_more, ("queryAll", True): query.query_all_more}


def _requests(ctx: Ctx) -> list[dict]:
    body = read_json(ctx.request)
    batch = body.get("batchRequests") if isinstance(body, dict) else None
    if not isinstance(batch, list) or not batch or not all(isinstance(r, dict) for r in batch):
        raise ApiError.of(400, "JSON_PARSER_ERROR", "The request body must be an object with a non-empty "
                                                    "'batchRequests' array")
    if len(batch) > _MAX:
        raise ApiError.of(400, "INVALID_BATCH_REQUEST", f"A batch may hold at most {_MAX} subrequests")
    return batch


def _run_one(ctx: Ctx, sub: dict) -> dict:
    method, url = str(sub.get("method") or "").upper(), sub.get("url")
    if not isinstance(url, str) or method != "GET":
        return _error(400, "INVALID_BATCH_REQUEST", "Only GET subrequests of query and queryAll are supported")
    parts = urlsplit(url if url.startswith("/") else "/services/data/" + url)
    segments = parts.path.strip("/").split("/")
    if len(segments) < 4 or segments[:2] != ["services", "data"] or segments[3] not in ("query", "queryAll"):
        return _error(400, "INVALID_BATCH_REQUEST", f"Unsupported subrequest url: {url}")
    version, endpoint, more = segments[2], segments[3], segments[4:]
    environ = EnvironBuilder(path=parts.path, query_string=parts.query, method="GET",
                             headers=dict(ctx.request.headers)).get_environ()
    sub_ctx = Ctx(state=ctx.state, settings=ctx.settings, request=Request(environ))
    try:
        handler = _HANDLERS[(endpoint, bool(more))]
        response: Response = handler(sub_ctx, version, *more[:1])
    except ApiError as err:
        return {"statusCode": err.status, "result": err.body()}
    return {"statusCode": response.status_code, "result": json.loads(response.get_data())}


def _error(status: int, code: str, message: str) -> dict:
    return {"statusCode": status, "result": [{"errorCode": code, "message": message}]}


def composite_batch(ctx: Ctx, v: str) -> Response:
    """``POST /services/data/{v}/composite/batch``."""
    results = [_run_one(ctx, sub) for sub in _requests(ctx)]
    ctx.served(sum(len((r["result"] or {}).get("records", [])) for r in results if isinstance(r["result"], dict)))
    return json_response({"hasErrors": any(r["statusCode"] >= 400 for r in results), "results": results})


ROUTES = [("POST", "/services/data/{v}/composite/batch", composite_batch)]
