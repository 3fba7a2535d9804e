"""Properties that hold for any contact, checked with hypothesis on the shipped model."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.lifecycle import ContactFacts, LifecycleState, evaluate
from syncd.models import EngagementEvent, EngagementKind

from .helpers import NOW, default_model

MODEL = default_model()
POSITIVE = [("form_submission", {"form_name": "Demo request"}), ("form_submission",
            {"form_name": "Ebook"}), ("page_view", {"url": "/pricing"}), ("page_view", {}),
            ("email_open", {}), ("email_click", {}), ("meeting", {}), ("email_reply", {}),
            ("call", {}), ("custom_event", {"event_name": "trial_started"})]
OTHER = [("email_bounce", {}), ("email_unsubscribe", {}), ("email_spam_report", {}),
         ("email_sent", {}), ("page_view", {"url": "/careers"}), ("note", {})]
STATUSES = [None, "Open - Not Contacted", "Working - Contacted", "Nurture", "Unqualified",
            "Closed - Converted", "Something else"]


@st.composite
def events(draw, shapes=POSITIVE + OTHER, max_size=12):
    out = []
    for i, (kind, attrs) in enumerate(draw(st.lists(st.sampled_from(shapes), max_size=max_size))):
        hours = draw(st.integers(min_value=-24 * 7, max_value=24 * 400))
        out.append(EngagementEvent(id=f"e:{i}:{hours}", contact_id="c", kind=EngagementKind(kind),
                                   occurred_at=NOW - timedelta(hours=hours), attributes=attrs))
    return out


contact_facts = st.builds(
    lambda props, status, flags: ContactFacts(
        contact_id="c", properties=props, lead_status=status, is_converted=flags[0],
        has_open_opportunity=flags[1], has_closed_won=flags[2], churned=flags[3]),
    st.fixed_dictionaries({}, optional={
        "numberofemployees": st.sampled_from(["5", "200", "9000", "n/a"]),
        "jobtitle": st.sampled_from(["VP Sales", "Student", "Ops manager", ""]),
        "email": st.sampled_from(["a@acme.io", "b@gmail.com", "c@rivalcrm.io"]),
        "company": st.sampled_from(["Acme", ""]),
        "contact_me": st.sampled_from(["yes", "no"]),
        "lifecyclestage": st.sampled_from(["subscriber", "lead", "salesqualifiedlead",
                                           "customer", "other", "evangelist"])}),
    st.sampled_from(STATUSES), st.tuples(*[st.booleans()] * 4))

previous_state = st.one_of(st.none(), st.builds(
    lambda stage, days, quiet: LifecycleState(stage=stage, since=NOW - timedelta(days=days),
                                              last_activity_at=NOW - timedelta(days=quiet)),
    st.sampled_from(sorted(MODEL.stage_defs)), st.integers(0, 400), st.integers(0, 400)))

SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(f=contact_facts, evs=events(), prev=previous_state)
def test_same_inputs_and_now_give_the_same_result(f, evs, prev):
    one = evaluate(MODEL, facts=f, events=evs, previous=prev, now=NOW)
    two = evaluate(MODEL, facts=f, events=list(evs), previous=prev, now=NOW)
    assert one.to_json() == two.to_json() and one.state == two.state


@SETTINGS
@given(f=contact_facts, evs=events(), prev=previous_state)
def test_stage_never_moves_back_unless_a_backward_rule_fired(f, evs, prev):
    a = evaluate(MODEL, facts=f, events=evs, previous=prev, now=NOW)
    if prev is not None and not any(t.backward for t in a.transitions):
        assert MODEL.ranks[a.stage] >= MODEL.ranks[prev.stage]
    for t in a.transitions:
        if not t.backward and t.from_stage is not None:
            assert MODEL.ranks[t.to_stage] > MODEL.ranks[t.from_stage]


@SETTINGS
@given(f=contact_facts, evs=events(), extra=events(shapes=POSITIVE, max_size=1))
def test_adding_a_positive_event_never_lowers_the_engagement_score(f, evs, extra):
    before = evaluate(MODEL, facts=f, events=evs, previous=None, now=NOW)
    after = evaluate(MODEL, facts=f, events=evs + extra, previous=None, now=NOW)
    assert after.engagement_score >= before.engagement_score


@SETTINGS
@given(f=contact_facts, evs=events(), prev=previous_state)
def test_every_transition_has_a_rule_a_reason_and_a_time(f, evs, prev):
    a = evaluate(MODEL, facts=f, events=evs, previous=prev, now=NOW)
    for t in a.transitions:
        assert t.rule and t.reason.strip() and t.at == NOW and t.to_stage in MODEL.stage_defs
    assert a.intent in ("passive", "active") and a.intent_reason
    assert a.next_review_at > NOW
