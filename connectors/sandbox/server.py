"""Serve a WSGI application on 127.0.0.1 in a background thread, optionally over TLS.

Both emulators are plain WSGI applications; this is the only place that opens sockets.
"""

from __future__ import annotations

import logging
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

__all__ = ["LocalCA", "ServedApp", "serve"]

logging.getLogger("werkzeug").setLevel(logging.ERROR)


class _QuietHandler(WSGIRequestHandler):
    """Request handler that keeps connections alive and writes no access log."""

    protocol_version = "HTTP/1.1"

    def log_request(self, *args, **kwargs) -> None:  # noqa: D102 - silence access log
        return None


@dataclass
class LocalCA:
    """A throwaway certificate authority; its PEM file is what clients pass as ``verify``."""

    directory: Path
    _ca: trustme.CA = field(default_factory=trustme.CA, repr=False)

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.ca_file = self.directory / "sandbox-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))
        self._leaf = self._ca.issue_cert("127.0.0.1", "localhost")

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._leaf.configure_cert(ctx)
        return ctx


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
          tls: LocalCA | None = None) -> ServedApp:
    """Start ``app`` on ``host:port`` (0 = a free port) and return at once."""
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler,
                         ssl_context=tls.server_context() if tls else None)
    server.daemon_threads = True
    scheme = "https" if tls else "http"
    thread = threading.Thread(target=server.serve_forever, name=f"sandbox-{server.port}",
                              daemon=True)
    thread.start()
    return ServedApp(url=f"{scheme}://{host}:{server.port}", port=server.port,
                     _server=server, _thread=thread)
