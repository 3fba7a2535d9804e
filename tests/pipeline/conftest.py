"""The pipeline on in-memory ports: whole cycles in milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.clock import FixedClock
from syncd.demo import DEFAULT_MAPPINGS
from syncd.lifecycle import load_scoring
from syncd.mapping import load_field_mapping
from syncd.models import HubSpotContact
from syncd.sync.cycle import CycleDeps
from syncd.sync.rules import SyncRules
from syncd.testing import MemoryCrm, MemoryHubSpot, MemoryStateStore

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="session")
def rules() -> SyncRules:
    mapping, issues = load_field_mapping(DEFAULT_MAPPINGS / "fields.toml")
    assert not issues
    return SyncRules(mapping=mapping, model=load_scoring(DEFAULT_MAPPINGS / "scoring.toml"))


@pytest.fixture
def world(rules):
    hubspot, crm, store = MemoryHubSpot(), MemoryCrm(), MemoryStateStore()
    deps = CycleDeps.standard(hubspot=hubspot, crm=crm, store=store, clock=FixedClock(NOW), rules=rules)
    return hubspot, crm, store, deps


def person(cid: str, email: str | None, **props) -> HubSpotContact:
    return HubSpotContact(id=cid, properties={"email": email, "firstname": "Ada", "lastname": f"L{cid}", **props},
                          updated_at=NOW)
