"""The Composite resource: up to 25 REST subrequests in one call, later ones referring to the
results of earlier ones (``@{refId.id}``, ``@{refId.records[0].Id}``).

``POST /services/data/{v}/composite`` with ``{"allOrNone", "compositeRequest": [{"method",
"url", "referenceId", "body"}]}`` answers 200 with ``{"compositeResponse": [{"body",
"httpHeaders", "httpStatusCode", "referenceId"}]}`` in request order. With ``allOrNone`` the
first failing subrequest rolls every write back and the others answer ``PROCESSING_HALTED``;
without it, only subrequests that refer to a failed one are halted. It counts as one API call.
Subrequests may use the record, query and Collections resources (not Bulk jobs or Composite).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from .errors import ApiError
from .http import Ctx, json_response, read_json

__all__ = ["ROUTES"]

_MAX = 25
_MAX_HEAVY = 5
_REF_ID = re.compile(r"^[A-Za-z0-9_]{1,80}$")
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.([^}]+)\}")
_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
_HALTED_ROLLBACK = ("The transaction was rolled back since another operation in the same "
                    "transaction failed.")


def _bad(message: str) -> ApiError:
    return ApiError.of(400, "INVALID_API_INPUT", message)


def _subrequests(body: Any) -> tuple[bool, list[dict]]:
    items = body.get("compositeRequest") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ApiError.of(400, "JSON_PARSER_ERROR", "The request body must be an object with "
                          "a non-empty 'compositeRequest' array")
    if len(items) > _MAX:
        raise _bad(f"A composite request may hold at most {_MAX} subrequests")
    heavy = sum(1 for item in items if isinstance(item, dict) and _heavy(item.get("url")))
    if heavy > _MAX_HEAVY:
        raise _bad(f"A composite request may hold at most {_MAX_HEAVY} sObject Collections or query "
                   f"subrequests; this one holds {heavy}")
    seen = set()
    for i, item in enumerate(items):
        where = f"compositeRequest[{i}]"
        if not isinstance(item, dict):
            raise _bad(f"{where}: must be an object")
        method, url, ref = item.get("method"), item.get("url"), item.get("referenceId")
        if method not in _METHODS:
            raise _bad(f"{where}.method: use one of {', '.join(_METHODS)}")
        if not isinstance(url, str) or not url.startswith("/services/data/"):
            raise _bad(f"{where}.url: must start with /services/data/")
        if not _allowed(url):
            raise _bad(f"{where}.url: Bulk jobs and Composite cannot be subrequests")
        if not isinstance(ref, str) or not _REF_ID.match(ref) or ref in seen:
            raise _bad(f"{where}.referenceId: a unique name of letters, digits and _ is required")
        seen.add(ref)
    return bool(body.get("allOrNone") is True), items


def _allowed(url: str) -> bool:
    rest = urlsplit(url).path.rstrip("/").split("/", 4)[4:]
    rest_path = rest[0] if rest else ""
    nested = rest_path == "composite" or (rest_path.startswith("composite/")
                                          and not rest_path.startswith("composite/sobjects"))
    return not nested and rest_path.split("/")[0] != "jobs"


def _heavy(url: Any) -> bool:
    """An sObject Collections or query subrequest (at most five per Composite call)."""
    if not isinstance(url, str):
        return False
    rest = urlsplit(url).path.rstrip("/").split("/", 4)[4:]
    first = (rest[0] if rest else "").split("/")[0]
    return first in ("query", "queryAll") or (rest[0] if rest else "").startswith("composite/sobjects")


_STEP = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")


def _lookup(results: dict, ref: str, path: str) -> Any:
    """The value at ``path`` (``id``, ``records[0].Id``) in ``ref``'s response body."""
    value: Any = results.get(ref, {}).get("body")
    for part in path.split("."):
        step = _STEP.fullmatch(part)
        if step is None or not isinstance(value, dict) or step.group(1) not in value:
            raise KeyError(f"{ref}.{path}")
        value = value[step.group(1)]
        if step.group(2) is not None:
            index = int(step.group(2))
            if not isinstance(value, list) or index >= len(value):
                raise KeyError(f"{ref}.{path}")
            value = value[index]
    if value is None or isinstance(value, dict | list):
        raise KeyError(f"{ref}.{path}")
    return value


def _resolve(value: Any, results: dict) -> Any:
    if isinstance(value, str):
        return _REFERENCE.sub(lambda m: str(_lookup(results, m.group(1), m.group(2))), value)
    if isinstance(value, dict):
        return {k: _resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, results) for v in value]
    return value


def _halted(ref: str, message: str) -> dict:
    return {"body": [{"errorCode": "PROCESSING_HALTED", "message": message}],
            "httpHeaders": {}, "httpStatusCode": 400, "referenceId": ref}


def _run(ctx: Ctx, item: dict, results: dict, contexts: list) -> dict:
    ref = item["referenceId"]
    try:
        url, body = _resolve(item["url"], results), _resolve(item.get("body"), results)
    except KeyError as missing:
        return _halted(ref, f"Invalid reference specified. No value for {missing.args[0]} found.")
    parts = urlsplit(url)
    builder = EnvironBuilder(path=parts.path, query_string=parts.query, method=item["method"],
                             data=None if body is None else json.dumps(body),
                             content_type="application/json",
                             headers={"Authorization": ctx.request.headers.get("Authorization", ""),
                                      "Host": ctx.request.host})
    environ = builder.get_environ()
    environ["sandbox.write_contexts"] = contexts
    sub = Ctx(state=ctx.state, settings=ctx.settings, request=Request(environ))
    response: Response = ctx.request.environ["sandbox.dispatch"](sub)
    text = response.get_data(as_text=True)
    headers = {"Location": response.headers["Location"]} if "Location" in response.headers else {}
    return {"body": json.loads(text) if text else None, "httpHeaders": headers,
            "httpStatusCode": response.status_code, "referenceId": ref}


def composite(ctx: Ctx, v: str) -> Response:
    """``POST /services/data/{v}/composite``."""
    all_or_none, items = _subrequests(read_json(ctx.request))
    results: dict[str, dict] = {}
    contexts: list = []
    with ctx.state.lock:
        for item in items:
            failed_refs = {r for r, out in results.items() if out["httpStatusCode"] >= 400}
            uses = set(_REFERENCE.findall(json.dumps(item)))
            if any(ref in failed_refs for ref, _ in uses):
                results[item["referenceId"]] = _halted(
                    item["referenceId"], "Invalid reference specified: a subrequest it "
                    "refers to failed.")
                continue
            out = results[item["referenceId"]] = _run(ctx, item, results, contexts)
            if all_or_none and out["httpStatusCode"] >= 400:
                for wctx in reversed(contexts):
                    ctx.state.store.undo(wctx.undo)
                return json_response({"compositeResponse": [
                    results[i["referenceId"]] if i is item else _halted(i["referenceId"],
                                                                        _HALTED_ROLLBACK)
                    for i in items]})
    ctx.served(len(items))
    return json_response({"compositeResponse": [results[i["referenceId"]] for i in items]})


ROUTES = [("POST", "/services/data/{v}/composite", composite)]
