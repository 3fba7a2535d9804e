"""Serve a WSGI application in a background thread, optionally over TLS.

Used by the sandbox's emulators and by the daemon's webhook receiver.
"""

from __future__ import annotations

import logging
import ssl
import threading
from dataclasses import dataclass, field

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

__all__ = ["ServedApp", "serve"]

logging.getLogger("werkzeug").setLevel(logging.ERROR)


class _QuietHandler(WSGIRequestHandler):
    """Request handler that keeps connections alive and writes no access log."""

    protocol_version = "HTTP/1.1"

    def log_request(self, *args, **kwargs) -> None:  # noqa: D102 - silence access log
        return None


@dataclass
class ServedApp:
    """A running server; ``url`` is its base URL."""

    url: str
    port: int
    _server: BaseWSGIServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(app, *, host: str = "127.0.0.1", port: int = 0,
          tls=None) -> ServedApp:
    """Start ``app`` on ``host:port`` (0 = a free port) and return at once; ``tls`` is
    anything with ``server_context()`` (e.g. the sandbox's ``LocalCA``)."""
    context: ssl.SSLContext | None = tls.server_context() if tls else None
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler,
                         ssl_context=context)
    server.daemon_threads = True
    scheme = "https" if tls else "http"
    thread = threading.Thread(target=server.serve_forever, name=f"sandbox-{server.port}",
                              daemon=True)
    thread.start()
    return ServedApp(url=f"{scheme}://{host}:{server.port}", port=server.port,
                     _server=server, _thread=thread)
