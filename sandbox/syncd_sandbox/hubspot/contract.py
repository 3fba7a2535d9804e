"""Contract checking against HubSpot's published OpenAPI documents.

``Recorder`` is a WSGI middleware that keeps every (request, response) pair it serves;
``validate(recorder.exchanges, specs_dir)`` checks each pair whose path a spec covers and
returns a list of problems (empty = conforming). Hosts are ignored: the specs name
https://api.hubapi.com, the sandbox serves 127.0.0.1. The documents are read with the
adjustments described in ``contract_specs``. openapi-core is a test dependency, so it is
imported only when validating.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from .contract_specs import load_specs

__all__ = ["Exchange", "Recorder", "validate", "uncovered", "find_specs_dir"]


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """One request and its response as seen on the wire."""

    method: str
    path: str
    query: str
    request_body: bytes
    request_content_type: str | None
    status: int
    response_body: bytes
    response_content_type: str | None


class Recorder:
    """WSGI middleware recording each exchange of the wrapped app (thread-safe)."""

    def __init__(self, app: Any):
        self.app, self.exchanges, self._lock = app, [], threading.Lock()

    def __call__(self, environ: dict, start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            body = environ["wsgi.input"].read(length)
        elif environ.get("wsgi.input_terminated"):  # chunked upload: the server ends the stream
            body = environ["wsgi.input"].read()
        else:
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)
            return start_response(status, headers, exc_info)

        chunks = list(self.app(environ, capture))
        with self._lock:
            self.exchanges.append(Exchange(
                method=environ["REQUEST_METHOD"], path=environ.get("PATH_INFO", ""),
                query=environ.get("QUERY_STRING", ""), request_body=body,
                request_content_type=environ.get("CONTENT_TYPE"), status=seen["status"],
                response_body=b"".join(chunks),
                response_content_type=seen["headers"].get("Content-Type")))
        return chunks


def find_specs_dir(repo_root: Path) -> Path | None:
    """``$SYNCD_HUBSPOT_SPECS`` if set, else the first ``shared/specs/hubspot`` beside the
    repository or beside one of its parent folders (a git worktree lives deeper than the
    clone); None if absent."""
    candidate = os.environ.get("SYNCD_HUBSPOT_SPECS")
    if candidate:
        return Path(candidate) if Path(candidate).is_dir() else None
    for folder in Path(repo_root).resolve().parents:
        path = folder / "shared" / "specs" / "hubspot"
        if path.is_dir():
            return path
    return None


def _describe(exc: Exception) -> str:
    cause = exc.__cause__
    details = getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None)
    if details:
        return "; ".join(str(getattr(d, "message", d)) for d in details)
    return f"{type(exc).__name__}: {exc}" + (f" ({cause})" if cause else "")


def validate(recorded: list[Exchange], specs_dir: Path, *,
             check_rejected_requests: bool = True) -> list[str]:
    """Problems of the recorded exchanges against the specs; exchanges no spec covers are
    skipped (see ``uncovered``). With ``check_rejected_requests=False`` the requests the
    server answered with 4xx/5xx are not checked (tests send bad requests on purpose);
    their responses still are."""
    from openapi_core.testing import MockRequest, MockResponse
    specs, problems = load_specs(str(specs_dir)), []
    for ex in recorded:
        path = ex.path.rstrip("/") or "/"
        hit = specs.find(ex.method, path)
        if hit is None:
            continue
        name, server, api = hit
        args = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(ex.query).items()}
        request = MockRequest(server, ex.method.lower(), path, args=args, data=ex.request_body or None,
                              content_type=ex.request_content_type or "application/json")
        response = MockResponse(ex.response_body, status_code=ex.status,
                                content_type=ex.response_content_type or "application/json")
        where = f"{ex.method} {ex.path}?{ex.query} -> {ex.status} ({name}.json)"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the specs' oauth2 scheme is not checkable offline
            checks = [("response", lambda: api.validate_response(request, response))]
            if check_rejected_requests or ex.status < 400:
                checks.insert(0, ("request", lambda: api.validate_request(request)))
            for kind, check in checks:
                try:
                    check()
                except Exception as exc:  # openapi-core raises many types; each is a finding
                    problems.append(f"{where}: {kind}: {_describe(exc)}")
    return problems


def uncovered(recorded: list[Exchange], specs_dir: Path) -> list[str]:
    """"METHOD path" of exchanges no spec covers (e.g. email events v1, form submissions v1)."""
    specs = load_specs(str(specs_dir))
    return sorted({f"{e.method} {e.path}" for e in recorded
                   if specs.find(e.method, e.path.rstrip("/") or "/") is None})
