"""Decisions from scored pairs: keys first, bands, ties, one-to-one, clusters."""

from __future__ import annotations

import pytest

from syncd.reconcile.decide import Pair, decide
from syncd.reconcile.rules import MatchingSettings

S = MatchingSettings(merge=0.95, review=0.8, tie_margin=3.0)


def pair(i, e, p, w, key=None):
    return Pair(incoming_id=i, existing_id=e, probability=p, weight=w, key=key)


@pytest.mark.parametrize(("pairs", "decision", "existing", "reason"), [
    ([], "create", None, "no existing record is a candidate"),
    ([pair("a", "x", 0.999, 12)], "merge", "x", "above the merge threshold"),
    ([pair("a", "x", 0.9, 5)], "review", "x", "review band"),
    ([pair("a", "x", 0.3, -1)], "create", None, "below the review threshold"),
    ([pair("a", "x", 0.999, 12), pair("a", "y", 0.998, 10)], "review", "x", "tie"),
    ([pair("a", "x", 0.9999, 16), pair("a", "y", 0.9, 5)], "merge", "x", "above the merge threshold"),
    ([pair("a", "x", 0.6, 2, key="email"), pair("a", "y", 0.999, 14)], "merge", "x", "deterministic: same email"),
    ([pair("a", "x", 0.99, 9, key="email"), pair("a", "y", 0.99, 9, key="email")], "review", "x",
     "2 existing records share the email"),
    ([pair("a", "x", 0.99, 9, key="email"), pair("a", "y", 0.5, 1, key="crosswalk")], "merge", "y",
     "deterministic: same crosswalk"),
])
def test_single_record_decisions(pairs, decision, existing, reason):
    (d,) = decide(["a"], pairs, [], S)
    assert (d.decision, d.existing_id) == (decision, existing)
    assert reason in d.reason


def test_one_existing_record_takes_one_incoming_person():
    pairs = [pair("a", "x", 0.999, 14), pair("b", "x", 0.99, 9)]
    a, b = decide(["a", "b"], pairs, [], S)
    assert (a.decision, a.existing_id) == ("merge", "x")
    assert (b.decision, b.existing_id) == ("review", "x") and "also the best match of incoming a" in b.reason


def test_a_cluster_merges_together_and_creates_once():
    pairs = [pair("a", "x", 0.999, 14), pair("b", "x", 0.9, 5)]
    a, b, c, d = decide(["a", "b", "c", "d"], pairs, [["a", "b"], ["c", "d"]], S)
    assert (a.decision, b.decision) == ("merge", "merge") and b.existing_id == "x" and b.duplicate_of == "a"
    assert (c.decision, d.decision, d.duplicate_of) == ("create", "duplicate", "c")


def test_a_cluster_pointing_at_two_records_goes_to_review():
    pairs = [pair("a", "x", 0.999, 14), pair("b", "y", 0.999, 14)]
    a, b = decide(["a", "b"], pairs, [["a", "b"]], S)
    assert a.decision == b.decision == "review" and set(a.candidates) == {"x", "y"}
