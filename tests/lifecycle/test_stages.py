"""The stage machine on the shipped scoring.toml: every forward move, every declared
backward move (recycle, disqualify, churn), and the HubSpot write plan."""

from __future__ import annotations

import pytest

from syncd.lifecycle import DEFAULT_HUBSPOT_STAGES, LifecycleState, evaluate
from syncd.lifecycle import plan_hubspot_stage_write as plan

from .helpers import DAY, NOW, default_model, ev, facts

MODEL = default_model()
GOOD_FIT = {"numberofemployees": "200", "jobtitle": "VP Marketing", "company": "Acme",
            "email": "ann@acme.io"}                                    # fit 45, grade B
POOR_FIT = {"jobtitle": "Student", "email": "kid@gmail.com"}           # grade D


def _prev(stage, days_in_stage=10, **kw):
    return LifecycleState(stage=stage, since=NOW - days_in_stage * DAY, scored_at=NOW - DAY,
                          model_version=MODEL.version, **kw)


def _run(stage, events=(), props=None, previous=None, **kw):
    previous = previous or (_prev(stage) if stage else None)
    return evaluate(MODEL, facts=facts(properties=props or {}, **kw), events=list(events),
                    previous=previous, now=NOW)


DEMO = ev("form_submission", 2, id="f:demo", form_name="Demo request")
REPLY = ev("email_reply", 2, id="r:1")
OLD_DEMO = ev("form_submission", 200, id="f:old", form_name="Demo request")


@pytest.mark.parametrize(("start", "events", "props", "kw", "rules", "end"), [
    ("subscriber", [ev("form_submission", 5, form_name="Ebook")], {}, {},
     ["lead_gave_details"], "lead"),
    ("subscriber", [], {"numberofemployees": "100", "company": "Acme"}, {},
     ["lead_by_score"], "lead"),
    ("lead", [ev("page_view", 1, url="/pricing")] * 2, GOOD_FIT, {}, ["mql_by_score"], "mql"),
    ("lead", [REPLY], {"numberofemployees": "100", "company": "Acme"}, {},
     ["mql_by_intent"], "mql"),                                  # score 45, active, grade C
    ("lead", [DEMO], POOR_FIT, {}, [], "lead"),                  # active but grade D
    ("lead", [ev("email_open", 1)], {**GOOD_FIT, "industry": "Internet",
                                     "country": "Canada"}, {}, [], "lead"),  # fit alone
    ("lead", [], {}, {"lead_status": "unqualified"}, ["disqualified_by_sales"], "disqualified"),
    ("mql", [], {}, {"lead_status": "BAD_TIMING"}, ["recycled_by_sales"], "recycled"),
    ("mql", [], {}, {"lead_status": "Working - Contacted"}, ["sql_sales_working"], "sql"),
    ("mql", [ev("meeting", 1)], {}, {}, ["sql_meeting_booked"], "sql"),
    ("sql", [], {}, {"lead_status": "Working - Contacted", "has_open_opportunity": True},
     ["opportunity_open"], "opportunity"),
    ("opportunity", [], {}, {"has_closed_won": True, "is_converted": True},
     ["customer_closed_won"], "customer"),
    ("lead", [], {}, {"has_closed_won": True}, ["customer_closed_won"], "customer"),
    ("mql", [], GOOD_FIT, {"lead_status": "Nurture"}, ["recycled_by_sales"], "recycled"),
    ("lead", [], {}, {"lead_status": "Unqualified"}, ["disqualified_by_sales"], "disqualified"),
    ("customer", [], {}, {"has_closed_won": True, "churned": True}, ["churned_customer"],
     "recycled"),
    ("recycled", [DEMO], GOOD_FIT, {}, ["mql_recycled_reengaged"], "mql"),
    ("recycled", [DEMO], GOOD_FIT, {"lead_status": "Nurture"}, [], "recycled"),
    ("disqualified", [DEMO], GOOD_FIT, {"lead_status": "Unqualified"}, [], "disqualified"),
    ("disqualified", [], {}, {"lead_status": "Working - Contacted"}, ["sql_sales_working"],
     "sql"),                                                     # sales' word rules
])
def test_declared_rules_move_the_stage(start, events, props, kw, rules, end):
    a = _run(start, events, props, **kw)
    assert [t.rule for t in a.transitions] == rules
    assert a.stage == end


def test_sql_with_no_activity_for_60_days_is_recycled_and_not_before():
    quiet = _run(None, previous=_prev("sql", 90, last_activity_at=NOW - 61 * DAY))
    assert [t.rule for t in quiet.transitions] == ["recycled_sql_inactive"]
    assert "no activity for 60 days" in quiet.transitions[0].reason
    busy = _run(None, previous=_prev("sql", 90, last_activity_at=NOW - 59 * DAY))
    assert busy.stage == "sql" and busy.transitions == ()
    fresh = _run(None, previous=_prev("sql", 20, last_activity_at=NOW - 80 * DAY))
    assert fresh.stage == "sql"                                  # 20 days in SQL only


def test_without_a_backward_rule_a_cooled_down_mql_stays_mql():
    a = _run("mql", [OLD_DEMO], POOR_FIT)
    assert a.stage == "mql" and a.intent == "passive" and a.transitions == ()


def test_first_evaluation_corrects_hubspots_high_water_mark():
    stuck = _run(None, props={"lifecyclestage": "salesqualifiedlead"}, lead_status="Nurture")
    assert [(t.from_stage, t.to_stage, t.rule) for t in stuck.transitions] == [
        (None, "sql", "initial_from_hubspot"), ("sql", "recycled", "recycled_by_sales")]
    assert (stuck.hubspot_stage, stuck.salesforce_stage) == ("lead", "Recycled")
    churned = _run(None, props={"lifecyclestage": "customer"}, churned=True, has_closed_won=True)
    assert churned.stage == "recycled" and churned.transitions[-1].backward


def test_a_contact_climbs_several_stages_in_one_evaluation_each_move_recorded():
    a = _run(None, [DEMO], GOOD_FIT, lead_status="Working - Contacted")
    assert [(t.from_stage, t.to_stage) for t in a.transitions] == [
        ("subscriber", "sql")]
    b = _run(None, [DEMO, ev("page_view", 1, url="/pricing")], GOOD_FIT)
    assert [(t.from_stage, t.to_stage) for t in b.transitions] == [("subscriber", "mql")]


def test_transition_carries_rule_reason_time_and_evidence():
    a = _run("lead", [REPLY], {"numberofemployees": "100", "company": "Acme"})
    [t] = a.transitions
    assert (t.from_stage, t.to_stage, t.at, t.rule) == ("lead", "mql", NOW, "mql_by_intent")
    assert t.reason.startswith("Asked to talk to sales and fits (grade C or better): ")
    assert "intent active" in t.reason and "fit grade C ≥ C" in t.reason
    assert t.evidence["event_ids"] == ["r:1"] and t.evidence["score"] == a.score
    assert t.to_dict()["at"] == NOW.isoformat()
    assert a.state.since == NOW and a.state.stage == "mql"


def test_event_rule_names_the_events_as_evidence():
    a = _run("mql", [ev("meeting", 1, id="m:1"), ev("email_open", 1, id="o:1")])
    [t] = a.transitions
    assert t.rule == "sql_meeting_booked" and t.evidence["event_ids"] == ["m:1"]
    assert "meeting on 2026-11-24 (event m:1)" in t.reason


def test_unmapped_lead_status_is_reported_not_guessed():
    a = _run("mql", lead_status="Kinda interested")
    assert a.verdict is None and "not mapped" in a.warnings[0]


def test_previous_stage_unknown_to_the_model_is_a_clear_error():
    with pytest.raises(ValueError, match="stage 'gone' is not defined"):
        _run("gone")


ORDER = list(DEFAULT_HUBSPOT_STAGES)


@pytest.mark.parametrize(("current", "target", "values"), [
    ("lead", "lead", []),
    ("lead", "marketingqualifiedlead", ["marketingqualifiedlead"]),
    (None, "lead", ["lead"]),
    ("", "customer", ["customer"]),
    ("salesqualifiedlead", "lead", ["", "lead"]),
    ("customer", "lead", ["", "lead"]),
    ("retired_option", "lead", ["", "lead"]),
])
def test_hubspot_stage_write_plan(current, target, values):
    steps = plan(current, target, ORDER)
    assert [s["properties"]["lifecyclestage"] for s in steps] == values
    assert all(s["reason"] for s in steps)


def test_hubspot_stage_write_refuses_a_value_the_portal_lacks():
    with pytest.raises(ValueError, match="not one of the portal's options"):
        plan("lead", "nurture", ORDER)
