"""A bounded log of the requests an emulator served: what syncd actually sent.

``RequestLog(app)`` is WSGI middleware; every request that reaches ``app`` is kept (method,
path, query, JSON body, status, the emulator's endpoint label, the time on the sandbox
clock and a sequence number), newest last, the oldest dropped past ``limit`` (2,000); a
body larger than ``max_body`` (64 KiB, e.g. a Bulk CSV upload) is kept as
``{"omitted_bytes": N}`` so the log stays small on large runs. Tests read it
to assert the shape and order of writes — for example that a backward ``lifecyclestage``
move reaches HubSpot as two separate requests, first clearing the stage, then setting it.
"""

from __future__ import annotations

import io
import json
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["RequestLog"]


class RequestLog:
    """WSGI middleware keeping the last ``limit`` requests of the wrapped app (thread-safe)."""

    def __init__(self, app: Callable, *, clock: Callable[[], Any], limit: int = 2_000,
                 max_body: int = 64 * 1024) -> None:
        self.app, self.clock, self.max_body = app, clock, max_body
        self._entries: deque[dict] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._seq = 0

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        body = _read_body(environ)
        seen: list[str] = []

        def capture(status: str, headers: list, exc_info: Any = None) -> Any:
            seen.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, capture)
        finally:
            self._keep(environ, body, int(seen[-1]) if seen else 500)

    def _keep(self, environ: dict, body: bytes, status: int) -> None:
        with self._lock:
            self._seq += 1
            self._entries.append({
                "seq": self._seq, "at": self.clock().isoformat(),
                "method": environ.get("REQUEST_METHOD", ""), "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                "body": _decode(body) if len(body) <= self.max_body else {"omitted_bytes": len(body)},
                "status": status, "endpoint": environ.get("sandbox.endpoint")})

    def entries(self, *, method: str | None = None, path: str | None = None,
                since: int = 0) -> list[dict]:
        """Logged requests, oldest first; filter by method, exact path, and ``seq > since``."""
        with self._lock:
            return [dict(e) for e in self._entries
                    if e["seq"] > since and (method is None or e["method"] == method.upper())
                    and (path is None or e["path"].rstrip("/") == path.rstrip("/"))]

    def clear(self) -> None:
        """Forget every entry (sequence numbers keep counting)."""
        with self._lock:
            self._entries.clear()


def _read_body(environ: dict) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        body = environ["wsgi.input"].read(length)
    elif environ.get("wsgi.input_terminated"):
        body = environ["wsgi.input"].read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _decode(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")
