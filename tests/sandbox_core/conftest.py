"""Stand-in emulator apps and a small started Sandbox shared by the sandbox core tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncd_sandbox.runtime import Sandbox

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def echo_app(system: str):
    """A stand-in emulator: 200 with the path, naming its endpoint like the real ones do."""
    def app(environ, start_response):
        environ["sandbox.system"] = system
        environ["sandbox.endpoint"] = f"{environ['REQUEST_METHOD']} /items/{{id}}"
        environ["sandbox.records"] = 3
        body = json.dumps({"path": environ["PATH_INFO"]}).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    return app


@pytest.fixture(scope="package")
def sandbox(tmp_path_factory) -> Iterator[Sandbox]:
    """One small sandbox for tests that only read, or reset what they change."""
    with Sandbox.start(seed=11, contacts=40, now=NOW,
                       workdir=Path(tmp_path_factory.mktemp("sandbox"))) as running:
        yield running
