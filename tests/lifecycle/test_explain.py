"""Explanations: the JSON breakdown, the terminal table and the Salesforce lead profile."""

from __future__ import annotations

import json

from rich.console import Console

from syncd.lifecycle import evaluate, lead_profile, render_table

from .helpers import NOW, default_model, ev, facts

MODEL = default_model()
PROPS = {"numberofemployees": "200", "jobtitle": "VP Marketing", "company": "Acme",
         "email": "ann@gmail.com", "lifecyclestage": "lead"}
EVENTS = [ev("form_submission", 3, id="f:1", form_name="Demo request"),
          ev("page_view", 1, id="pv:1", url="https://acme.io/pricing"),
          ev("email_open", 40, id="eo:1"), ev("email_bounce", 100, id="b:1")]


def _assessment():
    return evaluate(MODEL, facts=facts(properties=PROPS), events=EVENTS, previous=None, now=NOW)


def test_breakdown_is_json_and_accounts_for_every_point():
    a = _assessment()
    data = json.loads(json.dumps(a.to_json()))
    fit_points = sum(g["points"] for g in data["fit"]["groups"])
    eng_points = sum(g["points"] for g in data["engagement"]["groups"])
    assert round(fit_points, 1) == data["fit_score"] == a.fit_score
    assert round(eng_points, 1) == data["engagement_score"] == a.engagement_score
    assert {r["rule"] for r in data["fit"]["rules"]} == {
        "Mid-market company by head count", "Decision maker title", "Free-mail address"}
    assert [e["event_id"] for e in data["engagement"]["events"]] == ["f:1", "b:1", "pv:1", "eo:1"]
    assert data["intent"]["event_id"] == "f:1"
    assert [t["rule"] for t in data["transitions"]] == ["initial_from_hubspot", "mql_by_score"]


def test_rich_table_shows_intent_stage_rules_events_and_transitions():
    console = Console(width=200, record=True)
    console.print(render_table(_assessment()))
    text = console.export_text()
    for words in ("hand-raise: form 'Demo request'", "Salesforce MQL", "Decision maker title",
                  "Pricing page view", "mql_by_score", "Hard bounce"):
        assert words in text


def test_lead_profile_is_short_plain_text_with_why_and_top_signals():
    profile = lead_profile(_assessment())
    assert len(profile) <= 1000
    lines = profile.splitlines()
    assert lines[0].startswith("Score ") and "grade B" in lines[0]
    assert lines[1].startswith("Intent: active - hand-raise")
    assert "Last activity: 2026-11-24" in profile
    assert any("Hand-raise form" in line and "(+40)" in line for line in lines)


def test_lead_profile_respects_a_smaller_limit_by_dropping_whole_lines():
    full = lead_profile(_assessment())
    short = lead_profile(_assessment(), max_chars=120)
    assert len(short) <= 120 and full.startswith(short)


def test_lead_profile_reads_the_same_from_the_breakdown_the_kept_rows_or_a_new_scoring():
    many = EVENTS + [ev("page_view", d, id=f"pv:{d}", url="https://acme.io/pricing") for d in (2, 5, 9, 30, 80)] \
        + [ev("email_click", d, id=f"ec:{d}", url="https://acme.io/blog") for d in (1, 1, 4)] \
        + [ev("offline", 6, id="o:1", campaign="Trade fair booth", hand_raise="true")]
    for events in (EVENTS, many, []):
        for limit in (None, 120, 400):
            fresh = evaluate(MODEL, facts=facts(properties=PROPS), events=events, previous=None, now=NOW)
            explained = evaluate(MODEL, facts=facts(properties=PROPS), events=events, previous=None, now=NOW)
            detailed = evaluate(MODEL, facts=facts(properties=PROPS), events=events, previous=None, now=NOW,
                                detail=True)  # the profile reads the rows kept by the scoring
            assert explained.breakdown  # built first: the profile reads it
            assert lead_profile(fresh, max_chars=limit) == lead_profile(explained, max_chars=limit) \
                == lead_profile(detailed, max_chars=limit)
            assert "breakdown" not in vars(fresh)  # the profile alone does not build it
