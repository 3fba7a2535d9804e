"""A 50,000-contact world stays within the time and volume targets."""

from __future__ import annotations

from collections import Counter

import pytest

from syncd_sandbox.world import PERSONAS, build_world

from .conftest import NOW


@pytest.mark.slow
def test_fifty_thousand_contacts_build_with_half_a_million_records():
    # How fast it builds is measured by bench/bench_sandbox.py, not asserted here.
    world = build_world(0, 50_000, now=NOW)
    assert world.engagement_count >= 500_000
    primary = world.hubspot["contacts"][:50_000]
    counts = Counter(world.truth["personas"][c["id"]] for c in primary)
    assert all(abs(counts[p.name] - p.share * 50_000) < 1 for p in PERSONAS)
    assert len(world.salesforce["leads"]) > 10_000


def test_activity_scales_the_volume():
    quiet = build_world(0, 100, now=NOW, activity=0.5).engagement_count
    busy = build_world(0, 100, now=NOW, activity=2.0).engagement_count
    assert busy > 2 * quiet
