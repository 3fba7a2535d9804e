"""Round-robin is fair: over many calls, across restarts (positions stored and read back),
around inactive reps and under caps."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.routing import Directory, parse_routing, route

from .helpers import person

EMAILS = [f"rep{i}@acme.example" for i in range(8)]


def _rules(emails, *, cap=None):
    pool = {"users": list(emails)}
    if cap is not None:
        pool["cap_open_active"] = cap
    return parse_routing({"owner": {"fallback": "queue:Unassigned Leads"},
                          "round_robin": pool})


def _directory(emails, *, open_active=None):
    return Directory(users_by_email={e: f"005{e[:4].upper()}" for e in emails},
                     queues_by_name={"Unassigned Leads": "00GQ"},
                     open_active=open_active or {})


def _run(rules, directory, batches, positions=None):
    """Route ``batches`` (lists of people) one call each; positions survive a restart
    between calls the way the store keeps them (as JSON)."""
    owners, positions = [], dict(positions or {})
    for batch in batches:
        assignments, positions = route(rules, batch, directory, positions)
        positions = json.loads(json.dumps(positions))
        owners += [a.owner_id for a in assignments]
    return owners


def _people(n):
    return [person(str(i)) for i in range(n)]


def test_equal_spread_over_many_small_calls():
    emails = EMAILS[:3]
    batches = [_people(k % 4) for k in range(200)]          # 0..3 people a call, 300 in all
    counts = Counter(_run(_rules(emails), _directory(emails), batches))
    assert sorted(counts.values()) == [100, 100, 100]


def test_a_restart_continues_the_turns_exactly():
    emails = EMAILS[:5]
    rules, directory, people = _rules(emails), _directory(emails), _people(37)
    in_one_go = _run(rules, directory, [people])
    with_restarts = _run(rules, directory, [people[:4], people[4:5], people[5:20], people[20:]])
    assert with_restarts == in_one_go
    assert _run(rules, directory, [people[:20]]) + \
        _run(rules, directory, [people[20:]], {"round_robin": 20 % 5}) == in_one_go


def test_an_inactive_rep_is_skipped_without_doubling_anyone_up():
    emails = EMAILS[:4]
    active = [e for e in emails if e != EMAILS[1]]
    owners = _run(_rules(emails), _directory(active), [_people(30)])
    assert sorted(Counter(owners).values()) == [10, 10, 10]


def test_a_capped_rep_is_passed_over_and_takes_turns_again_below_the_cap():
    emails = EMAILS[:3]
    directory = _directory(emails, open_active={"005REP0": 10})
    owners = _run(_rules(emails, cap=10), directory, [_people(6)])
    assert Counter(owners) == {"005REP1": 3, "005REP2": 3}
    owners = _run(_rules(emails, cap=10), _directory(emails), [_people(6)])
    assert Counter(owners) == {"005REP0": 2, "005REP1": 2, "005REP2": 2}


@settings(max_examples=200, deadline=None)
@given(reps=st.integers(1, 8), inactive=st.sets(st.integers(0, 7)),
       cuts=st.lists(st.integers(0, 150), max_size=6), n=st.integers(0, 150),
       start=st.integers(0, 20))
def test_counts_per_rep_differ_by_at_most_one(reps, inactive, cuts, n, start):
    emails = EMAILS[:reps]
    active = [e for i, e in enumerate(emails) if i not in inactive] or emails[:1]
    people = _people(n)
    bounds = sorted({0, n, *(c for c in cuts if c <= n)})
    batches = [people[a:b] for a, b in zip(bounds, bounds[1:])]
    owners = _run(_rules(emails), _directory(active), batches, {"round_robin": start})
    counts = [Counter(owners)[f"005{e[:4].upper()}"] for e in active]
    assert sum(counts) == n
    assert max(counts) - min(counts) <= 1


@settings(max_examples=200, deadline=None)
@given(load=st.lists(st.integers(0, 12), min_size=4, max_size=4), cap=st.integers(1, 10),
       n=st.integers(0, 40))
def test_no_rep_is_pushed_past_the_cap(load, cap, n):
    emails = EMAILS[:4]
    open_active = {f"005{e[:4].upper()}": k for e, k in zip(emails, load)}
    directory = _directory(emails, open_active=open_active)
    assignments, _ = route(_rules(emails, cap=cap), _people(n), directory, {})
    after = Counter(open_active) + Counter(a.owner_id for a in assignments
                                           if a.rule == "round_robin")
    room = sum(max(0, cap - k) for k in load)
    assert all(after[uid] <= max(cap, open_active[uid]) for uid in open_active)
    assert sum(a.rule == "round_robin" for a in assignments) == min(n, room)
    assert all(a.owner_id == "00GQ" for a in assignments if a.rule == "fallback")
