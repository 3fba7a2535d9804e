"""The engine's fast paths agree with the plain way of computing the same thing.

Fit rules on listed values are read from one table per property, the newest hand-raise is
only checked for newer events, dates are formatted without strftime, and the engine builds
its frozen values without the per-field writes of their constructors: each is compared
here with a straightforward reference on many random inputs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from math import exp, inf

import pytest

from syncd.lifecycle import LifecycleState, Transition, evaluate
from syncd.lifecycle.assessment import Assessment, new_assessment
from syncd.lifecycle.compile import (FIT_EQUALS, FIT_IN, FIT_MISSING, FIT_REGEX, HALF_LIFE,
                                     HR_ALWAYS, HR_FORM, WINDOW, is_hand_raise_form, number)
from syncd.lifecycle.scoring import _capped, engagement_totals, fit_totals  # caps shared; the rule look-ups are compared
from syncd.lifecycle.state import new_state, new_transition, ymd
from syncd.models import EngagementEvent, EngagementKind

from .helpers import NOW, default_model, facts, small_model

MODEL = default_model()


def reference_fit(model, properties, record):
    """Every rule tested one by one, in declared order within each property."""
    sums = [0.0] * len(model.fit_groups)
    for prop, rules in model.fit_rules:
        raw = properties.get(prop)
        value = "" if raw is None else str(raw)
        folded = value.strip().casefold()
        for code, arg, points, gi, ri in rules:
            if code == FIT_MISSING:
                hit = not folded
            elif not folded:
                hit = False
            elif code == FIT_IN:
                hit = folded in arg
            elif code == FIT_REGEX:
                hit = arg(value) is not None
            elif code == FIT_EQUALS:
                hit = folded == arg
            else:
                n = number(folded)
                hit = n is not None and arg[0] <= n <= arg[1]
            if hit:
                sums[gi] += points
                record.append((ri, gi, prop, raw, points))
    return _capped(model.fit_limits, sums), sums


def reference_engagement(model, events, now_ts, window_s, record):
    """Every event checked for a hand-raise; the newest by (time, id) wins."""
    sums, recent = [0.0] * len(model.eng_groups), [0.0] * len(model.eng_groups)
    last_act = last_ev = -inf
    oldest = expiry = inf
    hand = hand_key = None
    for ev in events:
        ts = ev.occurred_at.timestamp()
        last_ev = max(last_ev, ts)
        hr_mode, rules, _ = model.eng_by_kind[ev.kind]
        attrs = ev.attributes
        raised = hr_mode == HR_ALWAYS or (hr_mode == HR_FORM
                                          and is_hand_raise_form(attrs, model.hand_raise_forms))
        for key, values in model.hand_raise_attrs:
            value = attrs.get(key) if attrs else None
            if value is not None and str(value).casefold() in values:
                raised = True
        if raised and (hand_key is None or (ts, ev.id) > hand_key):
            hand, hand_key = ev, (ts, ev.id)
        rule = next((r for r in rules if r[0] is None or r[0](attrs)), None)
        if rule is None:
            continue
        _, points, gi, ri, mode, param = rule
        age = max(now_ts - ts, 0.0)
        factor = (exp(-param * age) if mode == HALF_LIFE else
                  (1.0 if age <= param else 0.0) if mode == WINDOW else 1.0)
        if mode == WINDOW and factor:
            expiry = min(expiry, ts + param)
        sums[gi] += points * factor
        if age <= window_s:
            recent[gi] += points * factor
            if points > 0:
                oldest = min(oldest, ts)
        if points > 0:
            last_act = max(last_act, ts)
        record.append((ev, ri, model.eng_groups[gi][0], points, factor, points * factor))
    finite = lambda v: None if v in (inf, -inf) else v  # noqa: E731
    return (_capped(model.eng_limits, sums), _capped(model.eng_limits, recent), tuple(sums),
            finite(last_act), finite(last_ev), finite(oldest), finite(expiry), hand)


SMALL = small_model(
    fit_rules=[{"name": "eq", "group": "g", "property": "p", "type": "equals", "value": " DE ",
                "points": 7},
               {"name": "in", "group": "g", "property": "p", "type": "in",
                "values": ["de", "FR", ""], "points": 3},
               {"name": "miss", "group": "g", "property": "p", "type": "missing", "points": -2},
               {"name": "blank eq", "group": "g", "property": "q", "type": "equals",
                "value": "", "points": 5},
               {"name": "re", "group": "g", "property": "q", "type": "regex", "pattern": "^d",
                "points": 1.5},
               {"name": "in q", "group": "g", "property": "q", "type": "in", "values": ["de"],
                "points": 2},
               {"name": "range", "group": "g", "property": "n", "type": "range", "min": 5,
                "points": 4}],
    eng_rules=[{"name": "pv", "kind": "page_view", "group": "web", "points": 5},
               {"name": "hr", "kind": "form_submission", "group": "hr", "points": 30,
                "hand_raise_form": True},
               {"name": "b", "kind": "email_bounce", "group": "neg", "points": -10}],
    hand_raise_attributes={"direction": ["INCOMING_EMAIL"], "hand_raise": ["true"]})
VALUES = [None, "", "  ", "DE", " de ", "fr", "FR ", "Deutschland", "d", "5", "1,200", "x", 3, 7.5]
SHAPES = [("page_view", {"url": "/pricing"}), ("page_view", {"url": "/careers"}),
          ("page_view", {}), ("form_submission", {"form_name": "Demo request"}),
          ("form_submission", {"form_id": "FORM-GUID-1"}),
          ("form_submission", {"form_name": "Ebook"}), ("meeting", {}), ("email_reply", {}),
          ("note", {"direction": "INCOMING_EMAIL"}), ("call", {"direction": "outgoing"}),
          ("offline", {"hand_raise": "TRUE", "campaign": "Expo"}),
          ("offline", {"hand_raise": "no"}), ("custom_event", {"event_name": "trial_started"}),
          ("email_bounce", {}), ("email_open", {}), ("email_spam_report", {}),
          ("email_click", {})]


@pytest.mark.parametrize("model", [MODEL, SMALL], ids=["shipped", "small"])
def test_fit_tables_agree_with_testing_each_rule(model):
    rng = random.Random(13)
    props = sorted({p for p, _ in model.fit_rules} | {"p", "q", "n"})
    for _ in range(3000):
        properties = {p: rng.choice(VALUES + ["50-100", "1-5", "Internet", "VP Sales",
                                              "a@gmail.com", "Germany"])
                      for p in props if rng.random() < 0.8}
        rows, ref_rows = [], []
        assert fit_totals(model, properties, rows) == reference_fit(model, properties, ref_rows)
        assert rows == ref_rows


@pytest.mark.parametrize("model", [MODEL, SMALL], ids=["shipped", "small"])
def test_engagement_agrees_with_checking_every_event_for_a_hand_raise(model):
    rng = random.Random(17)
    now_ts = NOW.timestamp()
    for _ in range(2000):
        events = []
        for i in range(rng.randint(0, 12)):
            kind, attrs = rng.choice(SHAPES)
            at = NOW - timedelta(seconds=rng.choice([0, 3600, 86400 * 3, -86400,
                                                     rng.randint(-86400 * 5, 86400 * 200)]))
            events.append(EngagementEvent(id=f"e:{rng.randint(0, 3)}:{i}", contact_id="c",
                                          kind=EngagementKind(kind), occurred_at=at,
                                          attributes=attrs))
        rows, ref_rows = [], []
        got = engagement_totals(model, events, now_ts, model.window_s, rows)
        assert tuple(got) == reference_engagement(model, events, now_ts, model.window_s,
                                                  ref_rows)
        assert got.hand_raise is reference_engagement(model, events, now_ts, model.window_s,
                                                      [])[-1]
        assert rows == ref_rows


def test_ymd_is_strftime():
    rng = random.Random(3)
    zones = [UTC, timezone(timedelta(hours=-11)), timezone(timedelta(hours=13, minutes=45))]
    for _ in range(2000):
        at = datetime(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28),
                      rng.randint(0, 23), tzinfo=rng.choice(zones))
        assert ymd(at) == f"{at:%Y-%m-%d}"


def test_fast_builders_give_the_constructors_values():
    at = datetime(2026, 1, 2, 3, tzinfo=UTC)
    values = dict(stage="mql", since=at, intent="active", intent_since=at, intent_lapses_at=None,
                  fit_score=1.5, engagement_score=2.0, score=3.5, grade="B", scored_at=at,
                  last_event_at=None, last_activity_at=at, next_review_at=at, model_version="v")
    built, plain = new_state(*values.values()), LifecycleState(**values)
    assert built == plain and hash(built) == hash(plain) and repr(built) == repr(plain)
    assert list(vars(built).items()) == list(vars(plain).items())
    assert built.to_dict() == plain.to_dict()
    move = dict(from_stage=None, to_stage="lead", at=at, rule="r", reason="why",
                evidence={"event_ids": ["e"]}, backward=False)
    built_move, plain_move = new_transition(*move.values()), Transition(**move)
    assert built_move == plain_move and repr(built_move) == repr(plain_move)
    assert list(vars(built_move).items()) == list(vars(plain_move).items())
    with pytest.raises(AttributeError):
        built.stage = "sql"  # still frozen


def test_fast_assessment_is_the_constructors():
    a = evaluate(MODEL, facts=facts(properties={"lifecyclestage": "lead"}), events=[],
                 previous=None, now=NOW)
    plain = Assessment(**vars(a))
    assert list(vars(a).items()) == list(vars(plain).items())
    assert list(vars(new_assessment(*vars(plain).values())).items()) == list(vars(a).items())
    assert a.to_json() == plain.to_json()


def reference_run_stages(model, ctx, stage, since, evidence):
    """The stage machine testing every condition of every rule that may fire, in order."""
    from syncd.lifecycle.stages import _ids_of

    moves, visited, progressed = [], {stage}, True
    while progressed:
        progressed = False
        for name, to, backward, _, conds, reason, _, kinds in model.rules_from[stage]:
            if to in visited or not all(test(ctx, since) for test, _, _ in conds):
                continue
            why = "; ".join(describe(ctx) for _, describe, _ in conds) or "always"
            proof = evidence()
            if kinds:
                proof["event_ids"] = sorted({*proof.get("event_ids", ()),
                                             *_ids_of(ctx.events, kinds)})
            moves.append(Transition(from_stage=stage, to_stage=to, at=ctx.now, rule=name,
                                    reason=f"{reason}: {why}" if reason else why,
                                    evidence=proof, backward=backward))
            visited.add(to)
            stage, since, progressed = to, ctx.now, True
            break
    return stage, since, tuple(moves)


def test_stage_plans_agree_with_testing_every_condition():
    from syncd.lifecycle.stages import StageContext, run_stages

    rng = random.Random(23)
    model = default_model()  # its own plan cache, filled as the contacts need it
    verdicts = sorted(set(model.verdicts.values())) + [None]
    flag = lambda: rng.choice([True, False, False, None, 1, 0, ""])  # noqa: E731
    kinds = [EngagementKind.MEETING, EngagementKind.FORM_SUBMISSION, EngagementKind.PAGE_VIEW]
    for n in range(4000):
        events = [EngagementEvent(id=f"e{i}", contact_id="c", kind=rng.choice(kinds),
                                  occurred_at=NOW - timedelta(days=rng.randint(0, 120)))
                  for i in range(rng.randint(0, 3))]
        f = facts(is_converted=flag(), has_open_opportunity=flag(), has_closed_won=flag(),
                  churned=flag(), lead_status=rng.choice([None, "x"]))
        last = rng.choice([None, NOW - timedelta(days=rng.randint(0, 120))])
        ctx = StageContext(rng.uniform(-20, 120), rng.uniform(-20, 70), rng.uniform(-20, 80),
                           rng.choice(["A", "B", "C", "D", None]),
                           rng.choice(["active", "passive"]), None, rng.choice(verdicts), f,
                           events, last, NOW)
        stage = rng.choice(sorted(model.stage_defs))
        since = rng.choice([None, NOW - timedelta(days=rng.randint(0, 120))])
        evidence = lambda: {"event_ids": ["x"], "score": 1.0}  # noqa: E731
        assert run_stages(model, ctx, stage, since, evidence) == \
            reference_run_stages(model, ctx, stage, since, evidence), n
