"""Fit and engagement scores: each rule type, caps and floors, grades, decay, windows."""

from __future__ import annotations

import math

import pytest

from syncd.lifecycle import evaluate

from .helpers import NOW, ev, facts, small_model


def _rule(type_, points=10, prop="p", **kw):
    return {"name": f"{type_} rule", "group": "g", "property": prop, "type": type_,
            "points": points, **kw}


def _fit(rules, props):
    model = small_model(fit_rules=rules)
    return evaluate(model, facts=facts(properties=props), events=[], previous=None, now=NOW)


@pytest.mark.parametrize(("rule", "value", "hit"), [
    (_rule("equals", value="Germany"), "germany ", True),
    (_rule("equals", value="Germany"), "Germany East", False),
    (_rule("in", values=["DE", "FR"]), "fr", True),
    (_rule("in", values=["DE", "FR"]), "US", False),
    (_rule("range", min=50, max=500), "50", True),
    (_rule("range", min=50, max=500), "1,200", False),
    (_rule("range", min=0), "0", True),
    (_rule("range", max=10), "not a number", False),
    (_rule("regex", pattern=r"\bvp\b"), "VP Sales", True),
    (_rule("regex", pattern=r"\bvp\b"), "Developer", False),
    (_rule("missing"), "", True),
    (_rule("missing"), "   ", True),
    (_rule("missing"), None, True),
    (_rule("missing"), "Acme", False),
    (_rule("equals", value=""), "", False),   # blank matches only `missing` rules
])
def test_fit_rule_types(rule, value, hit):
    a = _fit([rule], {"p": value})
    assert a.fit_score == (10 if hit else 0)


def test_fit_group_cap_and_floor_and_negative_points():
    capped = _fit([_rule("missing", 20, prop="a"), _rule("missing", 20, prop="b")], {})
    assert capped.fit_score == 30
    assert capped.breakdown["fit"]["groups"][0]["cap_applied"] is True
    floored = _fit([_rule("missing", -8, prop="a"), _rule("missing", -8, prop="b")], {})
    assert floored.fit_score == -10


@pytest.mark.parametrize(("points", "grade"), [(30, "A"), (29, "B"), (20, "B"), (10, "C"),
                                                (9, "D"), (-5, "D")])
def test_grade_from_fit_thresholds(points, grade):
    assert _fit([_rule("missing", points)], {}).grade == grade


def _eng(rules, events, **intent):
    model = small_model(eng_rules=rules, **intent)
    return evaluate(model, facts=facts(), events=events, previous=None, now=NOW)


PRICING = {"name": "Pricing", "kind": "page_view", "group": "web", "points": 10,
           "where": {"url": "/pricing"}}
PAGE = {"name": "Page", "kind": "page_view", "group": "web", "points": 2}
HAND = {"name": "Hand-raise form", "kind": "form_submission", "group": "hr", "points": 40,
        "hand_raise_form": True}
FORM = {"name": "Other form", "kind": "form_submission", "group": "web", "points": 5}
BOUNCE = {"name": "Bounce", "kind": "email_bounce", "group": "neg", "points": -20}


@pytest.mark.parametrize(("event", "points"), [
    (ev("page_view", 0, url="https://x.io/PRICING?a=1"), 10),
    (ev("page_view", 0, url="https://x.io/blog"), 2),
    (ev("page_view", 0), 2),                                       # no url: general rule
    (ev("form_submission", 0, form_name="demo request"), 40),      # by name, any case
    (ev("form_submission", 0, form_id="form-guid-1"), 40),          # by id
    (ev("form_submission", 0, form_name="Ebook"), 5),
    (ev("email_open", 0), 0),                                      # no rule for the kind
    (ev("email_bounce", 0), -20),
])
def test_first_matching_rule_scores_each_event_once(event, points):
    a = _eng([PRICING, PAGE, HAND, FORM, BOUNCE], [event])
    assert a.engagement_score == points


def test_half_life_decay_halves_points_every_half_life():
    for days, expected in [(0, 10), (7, 5), (14, 2.5), (3.5, 10 / math.sqrt(2))]:
        a = _eng([PRICING], [ev("page_view", days, url="/pricing")])
        assert a.engagement_score == pytest.approx(round(expected, 1))


def test_window_counts_in_full_then_not_at_all():
    inside = _eng([HAND], [ev("form_submission", 9.9, form_name="Demo request")])
    outside = _eng([HAND], [ev("form_submission", 10.1, form_name="Demo request")])
    assert (inside.engagement_score, outside.engagement_score) == (40, 0)


def test_group_cap_limits_engagement_and_floor_limits_negatives():
    views = [ev("page_view", 0, url="/pricing") for _ in range(8)]
    assert _eng([PRICING], views).engagement_score == 50
    bounces = [ev("email_bounce", 100) for _ in range(3)]
    assert _eng([BOUNCE], bounces).engagement_score == -30


def test_recent_activity_counts_more_than_old_activity():
    recent = _eng([PRICING], [ev("page_view", 1, url="/pricing")])
    old = _eng([PRICING], [ev("page_view", 30, url="/pricing")])
    assert recent.engagement_score > old.engagement_score > 0


def test_meeting_booked_ahead_counts_as_now():
    rule = {"name": "Meeting", "kind": "meeting", "group": "web", "points": 30}
    assert _eng([rule], [ev("meeting", -5)]).engagement_score == 30


def test_breakdown_lists_each_event_with_decay_and_rule():
    a = _eng([PRICING, PAGE], [ev("page_view", 7, url="/pricing", id="pv:1")])
    [row] = a.breakdown["engagement"]["events"]
    assert row == {"event_id": "pv:1", "kind": "page_view", "at": row["at"], "rule": "Pricing",
                   "group": "web", "points": 10, "decay_factor": 0.5, "contribution": 5.0}
