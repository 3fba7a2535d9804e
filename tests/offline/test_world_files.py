"""The sandbox world's offline files, imported with the world's truth at hand."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from syncd.offline import import_file, load_source_mapping
from syncd.reconcile.files import file_deduplicator
from syncd.reconcile.rules import load_rules
from syncd_sandbox.world import build_world


MAPPINGS = {"tradeshow-saastr-2026.csv": "tradeshow", "webinar-2026-10.xlsx": "webinar",
            "business-cards-latin1.csv": "business-cards"}


@pytest.fixture(scope="module")
def world():
    return build_world(3, 1500, now=datetime(2026, 11, 25, 12, tzinfo=UTC))


@pytest.fixture(scope="module")
def dedupe(request):
    root = request.config.rootpath
    return file_deduplicator(load_rules(root / "mappings" / "matching.toml"))


@pytest.fixture(scope="module", params=list(MAPPINGS))
def imported(request, world, dedupe):
    name = request.param
    mapping = load_source_mapping(request.config.rootpath / "mappings" / "offline" / f"{MAPPINGS[name]}.toml")
    result = import_file(world.offline_files[name], name=name, mapping=mapping, deduplicate=dedupe)
    return name, result, {t["row"] + 1: t for t in world.truth["offline"][name]}


def test_each_kind_of_row_gets_its_outcome(imported):
    name, result, truth = imported
    seen = Counter((truth[line.line]["kind"], line.outcome) for line in result.lines)
    assert all(outcome == "skipped" for (kind, outcome) in seen if kind == "blank")
    assert all(outcome == "rejected" for (kind, outcome) in seen if kind == "reject")
    assert all(outcome in ("imported", "duplicate") for (kind, outcome) in seen
               if kind in ("existing", "new", "duplicate")), seen
    # a sheet drops trailing blank rows; every other record has exactly one outcome
    assert {line.line for line in result.lines} == {n for n, t in truth.items()
                                                    if n <= max(line.line for line in result.lines)}


def test_duplicates_found_are_the_same_person_and_most_are_found(imported):
    name, result, truth = imported
    found = [line for line in result.lines if line.outcome == "duplicate"]
    assert all(truth[line.line]["person"] == truth[line.duplicate_of]["person"] for line in found), name
    wanted = [n for n, t in truth.items() if t["kind"] == "duplicate"]
    caught = {line.line for line in found}
    assert len(caught & set(wanted)) >= 0.8 * len(wanted), (name, len(caught & set(wanted)), len(wanted))


def test_messy_values_come_out_clean(imported):
    name, result, truth = imported
    for line in result.records():
        t = truth[line.line]
        fields = line.fields
        assert all(v == v.strip() for v in fields.values() if isinstance(v, str))
        if "email_case" in t["mess"] or "trailing_whitespace" in t["mess"]:
            if fields.get("email") and "typo_email" not in t["mess"]:
                assert fields["email"] == t["email"]
        if "upper_case_name" in t["mess"]:
            assert not fields["last_name"].isupper() or len(fields["last_name"]) == 1
        assert fields.get("lead_source")
