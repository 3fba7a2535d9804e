"""Fixtures of the HubSpot connector tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hs_portal import Portal, small_seed, start_portal


@pytest.fixture

def portal() -> Iterator[Portal]:
    p, served = start_portal(small_seed())
    yield p
    served.shutdown()
