"""Worlds shared by the world-generator tests (built once per session: they are values)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd_sandbox.world import World, build_world

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def world() -> World:
    return build_world(0, 200, now=NOW)


@pytest.fixture(scope="session")
def big_world() -> World:
    """Large enough that every documented kind of mess shows up."""
    return build_world(3, 1500, now=NOW)
