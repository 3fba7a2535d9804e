"""Incremental re-scoring: when a contact needs evaluating again, and the state round-trip."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from syncd.lifecycle import LifecycleState, evaluate, needs_rescore, required_properties

from .helpers import DAY, NOW, default_model, ev, facts, model_with

MODEL = default_model()


def _scored(events, **kw):
    return evaluate(MODEL, facts=facts(**kw), events=events, previous=None, now=NOW)


def test_state_round_trips_through_json():
    a = _scored([ev("form_submission", 2, form_name="Demo request")])
    raw = json.loads(json.dumps(a.state.to_dict()))
    assert LifecycleState.from_dict(raw) == a.state


@pytest.mark.parametrize(("data", "words"), [
    ({"stage": "lead", "since": "2026-11-25T12:00:00+00:00", "stagee": "x"}, "unknown field"),
    ({"stage": "lead", "since": "yesterday"}, "'since'"),
    ({"stage": "lead", "since": "2026-11-25T12:00:00"}, "since must be timezone-aware"),
])
def test_bad_persisted_state_is_a_clear_error(data, words):
    with pytest.raises(ValueError, match=words):
        LifecycleState.from_dict(data)


def test_never_scored_or_scored_by_another_model_needs_rescoring():
    a = _scored([])
    assert needs_rescore(MODEL, None, latest_event_at=None, now=NOW)
    other = model_with(intent={"active_score": 70})
    assert needs_rescore(other, a.state, latest_event_at=None, now=NOW)
    assert not needs_rescore(MODEL, a.state, latest_event_at=None, now=NOW + DAY)


def test_new_events_since_scoring_need_rescoring():
    a = _scored([ev("email_open", 3)])
    assert needs_rescore(MODEL, a.state, latest_event_at=NOW + DAY, now=NOW + DAY)
    assert not needs_rescore(MODEL, a.state, latest_event_at=NOW - 3 * DAY, now=NOW + DAY)


def test_intent_lapse_time_schedules_the_next_review():
    a = _scored([ev("form_submission", 2, form_name="Demo request")])
    assert a.next_review_at == NOW - 2 * DAY + 30 * DAY == a.state.intent_lapses_at
    assert not needs_rescore(MODEL, a.state, latest_event_at=None,
                             now=a.next_review_at - DAY)
    assert needs_rescore(MODEL, a.state, latest_event_at=None, now=a.next_review_at)
    later = evaluate(MODEL, facts=facts(), events=[ev("form_submission", 30,
                                                      form_name="Demo request")],
                     previous=a.state, now=a.next_review_at)
    assert later.intent == "passive"


def test_inactivity_rule_schedules_the_review_when_it_comes_due():
    state = LifecycleState(stage="sql", since=NOW - 10 * DAY, last_activity_at=NOW - 20 * DAY,
                           model_version=MODEL.version, scored_at=NOW - DAY)
    a = evaluate(MODEL, facts=facts(), events=[], previous=state, now=NOW)
    assert a.next_review_at == NOW + 30 * DAY                       # capped by review_every
    state = replace(state, since=NOW - 50 * DAY, last_activity_at=NOW - 55 * DAY)
    a = evaluate(MODEL, facts=facts(), events=[], previous=state, now=NOW)
    assert a.next_review_at == NOW + 10 * DAY                       # 60 days after entering SQL
    due = evaluate(MODEL, facts=facts(), events=[], previous=a.state, now=a.next_review_at)
    assert due.stage == "recycled"


def test_engagement_decay_below_the_active_threshold_is_reviewed_in_time():
    events = [ev("page_view", 0.1, url="/pricing") for _ in range(3)] + [
        ev("custom_event", 0.1, event_name="product_trial_started"),
        ev("form_submission", 0.1, form_name="Ebook")]
    a = _scored(events)
    assert a.intent == "active" and a.intent_detail.signal == "engagement"
    review = a.next_review_at
    assert NOW < review < NOW + 30 * DAY
    before = evaluate(MODEL, facts=facts(), events=events, previous=a.state,
                      now=review - DAY)
    assert before.intent == "active"                                 # review is never late


def test_quiet_contact_is_still_reviewed_every_30_days():
    assert _scored([]).next_review_at == NOW + 30 * DAY


def test_required_properties_are_those_the_rules_read():
    assert required_properties(MODEL) == {
        "numberofemployees", "numemployees", "industry", "country", "jobtitle", "email",
        "company", "contact_me", "lifecyclestage"}
