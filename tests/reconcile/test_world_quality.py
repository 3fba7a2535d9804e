"""The engine on the sandbox world's offline files against its HubSpot contacts, with the
world's truth as labels, at the default thresholds."""

from __future__ import annotations

import pytest

from syncd.reconcile.engine import match, prepare
from syncd.reconcile.index import PreparedIndex

from .world_data import merge_quality


@pytest.fixture(scope="module")
def decided(labelled, rules, tmp_path_factory):
    path = tmp_path_factory.mktemp("idx") / "existing.duckdb"
    index = prepare(rules, labelled.existing, labelled.existing_ids, path)
    return index, match(index, labelled.incoming, labelled.incoming_ids)


def test_merges_are_precise_and_complete(labelled, decided):
    precision, recall = merge_quality(labelled, decided[1])
    assert precision >= 0.99 and recall >= 0.99, (precision, recall)


def test_one_decision_per_incoming_record_with_evidence(labelled, decided):
    decisions = decided[1]
    assert [d.incoming_id for d in decisions] == labelled.incoming_ids
    for d in decisions:
        assert d.decision in ("merge", "review", "create", "duplicate")
        if d.decision == "merge":
            assert d.existing_id and d.match_probability is not None and d.evidence
            assert {e.field for e in d.evidence} == {"email", "phone", "name", "organisation"}


def test_duplicates_inside_a_file_are_the_same_person(labelled, decided):
    decisions = decided[1]
    dups = [d for d in decisions if d.duplicate_of]
    assert dups
    assert all(labelled.person_of[d.incoming_id] == labelled.person_of[d.duplicate_of] for d in dups)


def test_the_trained_model_is_kept_and_reused(labelled, decided):
    index, first = decided
    again = PreparedIndex.open(index.path)
    assert again.model is not None and again.count == len(labelled.existing)
    batch = slice(0, 40)
    second = match(again, labelled.incoming[batch], labelled.incoming_ids[batch])
    alone = {d.incoming_id: d.decision for d in second if not d.duplicate_of}
    together = {d.incoming_id: d.decision for d in first[batch] if not d.duplicate_of}
    agree = sum(alone[i] == together[i] for i in alone)
    assert agree >= 0.95 * len(alone)


def test_an_index_built_from_arrow_batches_matches_the_same(labelled, rules, decided, tmp_path):
    import pyarrow as pa

    from syncd.reconcile.engine import prepare_arrow

    cols = ("id", "first_name", "last_name", "email", "phone", "company")
    rows = [dict(r, id=i) for i, r in zip(labelled.existing_ids, labelled.existing)]
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in cols]))
    index = prepare_arrow(rules, table.to_batches(max_chunksize=500), "id", tmp_path / "a.duckdb", workers=2)
    assert index.count == len(labelled.existing)
    got = match(index, labelled.incoming, labelled.incoming_ids)
    assert [(d.decision, d.existing_id) for d in got] == [(d.decision, d.existing_id) for d in decided[1]]
