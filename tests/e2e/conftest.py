"""A started sandbox and a config pointing at it, for end-to-end cycles."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd_sandbox.runtime import Sandbox
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config


@pytest.fixture
def sandbox(tmp_path):
    with Sandbox.start(seed=3, contacts=60, workdir=tmp_path / "sandbox") as sb:
        yield sb


@pytest.fixture
def config_path(sandbox, tmp_path) -> Path:
    return write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS)


def write_calls(stats: dict) -> int:
    """Salesforce calls that change data (anything but GET, the token endpoint and the
    Composite Batch of queries the change feed sends)."""
    endpoints = stats["systems"].get("salesforce", {}).get("endpoints", {})
    return sum(counter["calls"] for name, counter in endpoints.items()
               if name.split(" ", 1)[0] in ("POST", "PATCH", "PUT", "DELETE")
               and "oauth2" not in name and "Soap" not in name and not name.endswith("composite/batch"))
