"""``evaluate``: score, intent and stage of one contact at ``now``; ``needs_rescore``.

Re-check scheduling (``next_review_at``) covers what can change without new events: an
intent lapse, an engagement window expiring, decay taking engagement below the active
threshold (estimated with the fastest half-life, so never late), an inactivity rule
coming due, and the ``review_every_days`` safety net. Negative signals that decay can
raise a score over time; the safety net bounds how late that is noticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from syncd.lifecycle.assessment import Assessment, new_assessment
from syncd.lifecycle.intent import IntentResult, intent_of
from syncd.lifecycle.scoring import engagement_totals, fit_totals
from syncd.lifecycle.stages import StageContext, run_stages
from syncd.lifecycle.state import (ContactFacts, LifecycleState, Transition, new_state,
                                   new_transition)
from syncd.models import EngagementEvent, require_aware

__all__ = ["Assessment", "evaluate", "needs_rescore"]


def _grade(model, fit: float) -> str | None:
    if not model.grades:
        return None
    for letter, threshold in model.grades:
        if fit >= threshold:
            return letter
    return "D"


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def evaluate(model, *, facts: ContactFacts, events: Sequence[EngagementEvent],
             previous: LifecycleState | None, now: datetime, detail: bool = False) -> Assessment:
    """Score the contact, classify intent and move the stage by the declared rules.
    ``detail``: also keep the per-rule and per-event rows of this scoring, so the lead
    profile is written from them instead of scoring a second time."""
    if now.tzinfo is not UTC:
        require_aware("now", now)
    now_ts = now.timestamp()
    fit_rows, eng_rows = ([], []) if detail else (None, None)
    fit, _ = fit_totals(model, facts.properties, fit_rows)
    totals = engagement_totals(model, events, now_ts, model.window_s, eng_rows)
    engagement = totals.score
    score = fit + engagement
    grade = _grade(model, fit)
    lead_status = facts.lead_status
    verdict = None if lead_status is None else model.verdicts.get(lead_status.strip().casefold())
    warnings = () if verdict is not None or not lead_status else (
        f"Lead Status '{lead_status}' is not mapped in [lead_status]; treated as no verdict",)
    ts = totals.last_activity_ts
    last_activity = found = None if ts is None else datetime.fromtimestamp(ts, UTC)
    intent = intent_of(model, facts, verdict, totals, previous, now, found, now_ts)
    if previous is not None and previous.last_activity_at and (
            last_activity is None or previous.last_activity_at > last_activity):
        last_activity = previous.last_activity_at
    ctx = StageContext(score, fit, engagement, grade, intent.intent, intent.event_id, verdict,
                       facts, events, last_activity, now)
    fit, eng, score = round(fit, 1), round(engagement, 1), round(score, 1)
    start, adopted = _starting_stage(model, facts, previous, now)
    stage, since, moves = run_stages(model, ctx, start, previous.since if previous else None,
                                     lambda: _evidence(ctx, intent, score, fit, eng))
    if adopted:
        moves = adopted + moves
    since = since or now
    review = _next_review(model, intent, totals, stage, since, last_activity, now)
    # The state to persist; the previous one keeps the later of its and these times.
    ts = totals.last_event_ts
    last_event = None if ts is None else datetime.fromtimestamp(ts, UTC)
    intent_since = now
    if previous is not None:
        if previous.intent == intent.intent and previous.intent_since:
            intent_since = previous.intent_since
        if previous.last_event_at and (last_event is None or previous.last_event_at > last_event):
            last_event = previous.last_event_at
    state = new_state(stage, since, intent.intent, intent_since, intent.lapses_at, fit, eng,
                      score, grade, now, last_event, last_activity, review, model.version)
    return new_assessment(model, facts, events, now, fit, eng, score, grade, intent.intent,
                          intent.reason, intent, verdict, stage, moves, state, review, warnings,
                          None if fit_rows is None else (fit_rows, eng_rows))


def _starting_stage(model, facts: ContactFacts, previous: LifecycleState | None, now: datetime
                    ) -> tuple[str, tuple[Transition, ...]]:
    """The previous stage; on a first evaluation the configured initial stage, or the one
    HubSpot's own stage property names (its high-water mark), recorded as a transition."""
    if previous is not None:
        if previous.stage not in model.stage_defs:
            raise ValueError(f"lifecycle state of contact {facts.contact_id}: stage "
                             f"{previous.stage!r} is not defined in {model.source} [stages.defs]")
        return previous.stage, ()
    prop = model.initial_from_property
    value = (facts.properties.get(prop) or "").strip() if prop else ""
    name = model.stage_of_hubspot.get(value) if value else None
    if name is None:
        return model.initial_stage, ()
    move = new_transition(None, name, now, "initial_from_hubspot",
                          f"first evaluation: adopted HubSpot {prop} '{value}' as the starting "
                          "stage", {"properties": {prop: value}}, False)
    return name, (move,)


def _evidence(ctx: StageContext, intent: IntentResult, score: float, fit: float, eng: float
              ) -> dict[str, Any]:
    """A fired rule's evidence; ``score``, ``fit``, ``eng``: the context's scores rounded."""
    evidence = intent.evidence
    return {"score": score, "fit_score": fit, "engagement_score": eng, "grade": ctx.grade,
            "intent": ctx.intent, "lead_status": ctx.facts.lead_status, "verdict": ctx.verdict,
            "event_ids": list(evidence.get("event_ids", ())),
            "properties": dict(evidence.get("properties", {}))}


def _next_review(model, intent: IntentResult, totals, stage: str, since: datetime,
                 last_activity: datetime | None, now: datetime) -> datetime:
    """When the result could change without new events: intent lapse, window expiry, an
    inactivity rule coming due; never later than ``review_every_days``."""
    review = now + model.review_after
    after = model.inactivity_after[stage]  # as inactivity_deadline()
    for t in (intent.lapses_at, _dt(totals.next_expiry_ts), None if after is None else
              (max(last_activity, since) if last_activity else since) + after):
        if t is not None and t > now and t < review:  # the first of equal times, as min() keeps
            review = t
    return review


def needs_rescore(model, state: LifecycleState | None, *, latest_event_at: datetime | None,
                  now: datetime) -> bool:
    """True when the contact must be evaluated again now: never scored, scored by another
    model, new events since it was scored, or its ``next_review_at`` has come."""
    if state is None or state.model_version != model.version or state.scored_at is None:
        return True
    if latest_event_at is not None and (latest_event_at > state.scored_at or state.last_event_at
                                        is None or latest_event_at > state.last_event_at):
        return True
    return state.next_review_at is not None and now >= state.next_review_at
