"""Buying intent: hand-raises, sales working the lead, consent, engagement; lapses; reasons."""

from __future__ import annotations

import pytest

from syncd.lifecycle import evaluate

from .helpers import DAY, NOW, default_model, ev, facts

MODEL = default_model()      # lapse after 30 quiet days; active on engagement ≥ 45 in 30 days


def _intent(events, previous=None, now=NOW, **kw):
    return evaluate(MODEL, facts=facts(**kw), events=events, previous=previous, now=now)


@pytest.mark.parametrize(("event", "signal_words"), [
    (ev("form_submission", 3, id="f:1", form_name="Demo request"), "form 'Demo request'"),
    (ev("form_submission", 3, id="f:1", form_name="Contact sales"), "form 'Contact sales'"),
    (ev("meeting", 3, id="f:1"), "meeting booked"),
    (ev("email_reply", 3, id="f:1"), "email reply"),
    (ev("note", 3, id="f:1", direction="INCOMING_EMAIL"), "direction=INCOMING_EMAIL"),
])
def test_hand_raise_makes_intent_active_and_says_which_event_and_when_it_lapses(event,
                                                                               signal_words):
    a = _intent([event])
    assert a.intent == "active"
    assert signal_words in a.intent_reason and "(event f:1)" in a.intent_reason
    assert a.intent_detail.lapses_at == event.occurred_at + 30 * DAY
    assert f"lapses {a.intent_detail.lapses_at:%Y-%m-%d}" in a.intent_reason


def test_other_forms_are_not_a_hand_raise():
    assert _intent([ev("form_submission", 3, form_name="Newsletter signup")]).intent == "passive"


@pytest.mark.parametrize(("days_ago", "intent"), [(29, "active"), (31, "passive")])
def test_hand_raise_lapses_after_the_quiet_period(days_ago, intent):
    a = _intent([ev("form_submission", days_ago, id="f:9", form_name="Demo request")])
    assert a.intent == intent
    if intent == "passive":
        assert "last hand-raise f:9" in a.intent_reason and "lapsed" in a.intent_reason


def test_new_activity_after_a_hand_raise_extends_the_active_period():
    events = [ev("form_submission", 40, form_name="Demo request"),
              ev("page_view", 10, url="/pricing")]
    a = _intent(events)
    assert a.intent == "active"
    assert a.intent_detail.lapses_at == NOW - 10 * DAY + 30 * DAY


def test_sales_working_the_lead_keeps_intent_active_without_lapse():
    a = _intent([ev("form_submission", 90, form_name="Demo request")],
                lead_status="Working - Contacted")
    assert (a.intent, a.intent_detail.lapses_at) == ("active", None)
    assert "sales is working the lead" in a.intent_reason


def test_contact_me_consent_is_active_until_the_quiet_period_passes():
    a = _intent([], properties={"contact_me": "Yes"})
    assert a.intent == "active" and "contact_me = 'Yes'" in a.intent_reason
    later = _intent([], previous=a.state, now=NOW + 31 * DAY, properties={"contact_me": "Yes"})
    assert later.intent == "passive"


def test_high_recent_engagement_alone_makes_intent_active():
    events = [ev("page_view", 1, url="/pricing") for _ in range(3)] + [
        ev("form_submission", 2, form_name="Ebook"),
        ev("custom_event", 1, event_name="pe1_product_trial_started")]
    a = _intent(events)
    assert a.intent == "active" and a.intent_detail.signal == "engagement"
    assert "≥ 45" in a.intent_reason


def test_low_engagement_is_passive_with_a_reason():
    a = _intent([ev("email_open", 2), ev("page_view", 5, url="/blog")])
    assert a.intent == "passive"
    assert "no hand-raise, consent or engagement ≥ 45" in a.intent_reason


def test_intent_since_is_kept_while_intent_stays_the_same():
    first = _intent([ev("form_submission", 1, form_name="Demo request")])
    again = _intent([ev("form_submission", 1, form_name="Demo request")], previous=first.state,
                    now=NOW + DAY)
    assert again.state.intent_since == first.state.intent_since == NOW
