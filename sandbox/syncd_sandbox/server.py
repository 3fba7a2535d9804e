"""The sandbox's servers: WSGI apps on 127.0.0.1 (``connectors.wsgi.serve``), and a
throwaway certificate authority for the Salesforce emulator's TLS."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path

import trustme

from connectors.wsgi import ServedApp, serve

__all__ = ["LocalCA", "ServedApp", "serve"]


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
