"""``evaluate``: score, intent and stage of one contact at ``now``; ``needs_rescore``.

Re-check scheduling (``next_review_at``) covers what can change without new events: an
intent lapse, an engagement window expiring, decay taking engagement below the active
threshold (estimated with the fastest half-life, so never late), an inactivity rule
coming due, and the ``review_every_days`` safety net. Negative signals that decay can
raise a score over time; the safety net bounds how late that is noticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from syncd.lifecycle.assessment import Assessment
from syncd.lifecycle.compile import DAY
from syncd.lifecycle.intent import IntentResult, classify_intent
from syncd.lifecycle.scoring import engagement_totals, fit_totals
from syncd.lifecycle.stages import StageContext, inactivity_deadline, run_stages
from syncd.lifecycle.state import ContactFacts, LifecycleState, Transition
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
    require_aware("now", now)
    cfg = model.config
    now_ts = now.timestamp()
    fit_rows, eng_rows = ([], []) if detail else (None, None)
    fit, _ = fit_totals(model, facts.properties, fit_rows)
    totals = engagement_totals(model, events, now_ts, cfg.intent.active_window_days * DAY, eng_rows)
    score = fit + totals.score
    grade = _grade(model, fit)
    verdict = model.verdict_of(facts.lead_status)
    warnings = () if verdict is not None or not facts.lead_status else (
        f"Lead Status '{facts.lead_status}' is not mapped in [lead_status]; treated as no verdict",)
    intent = classify_intent(model, facts=facts, verdict=verdict, totals=totals,
                             previous=previous, now=now)
    last_activity = _dt(totals.last_activity_ts)
    if previous and previous.last_activity_at and (last_activity is None
                                                   or previous.last_activity_at > last_activity):
        last_activity = previous.last_activity_at
    ctx = StageContext(score=score, fit_score=fit, engagement_score=totals.score, grade=grade,
                       intent=intent.intent, intent_event=intent.event_id, verdict=verdict,
                       facts=facts, events=events, last_activity=last_activity, now=now)
    start, adopted = _starting_stage(model, facts, previous, now)
    stage, since, moves = run_stages(model, ctx, start, previous.since if previous else None,
                                     lambda: _evidence(ctx, intent))
    moves = adopted + moves
    since = since or now
    review = _next_review(model, intent, totals, stage, since, last_activity, now)
    fit, eng, score = round(fit, 1), round(totals.score, 1), round(score, 1)
    state = _state(model, previous, stage=stage, since=since, intent=intent, fit=fit, eng=eng,
                   score=score, grade=grade, now=now, last_event=_dt(totals.last_event_ts),
                   last_activity=last_activity, review=review)
    return Assessment(model=model, facts=facts, events=events, now=now, fit_score=fit,
                      engagement_score=eng, score=score, grade=grade,
                      intent=intent.intent, intent_reason=intent.reason, intent_detail=intent,
                      verdict=verdict, stage=stage, transitions=moves, state=state,
                      next_review_at=review, warnings=warnings,
                      rows=None if fit_rows is None else (fit_rows, eng_rows))


def _starting_stage(model, facts: ContactFacts, previous: LifecycleState | None, now: datetime
                    ) -> tuple[str, tuple[Transition, ...]]:
    """The previous stage; on a first evaluation the configured initial stage, or the one
    HubSpot's own stage property names (its high-water mark), recorded as a transition."""
    if previous is not None:
        if previous.stage not in model.stage_defs:
            raise ValueError(f"lifecycle state of contact {facts.contact_id}: stage "
                             f"{previous.stage!r} is not defined in {model.source} [stages.defs]")
        return previous.stage, ()
    stages = model.config.stages
    prop = stages.initial_from_property
    value = (facts.properties.get(prop) or "").strip() if prop else ""
    name = model.stage_of_hubspot.get(value) if value else None
    if name is None:
        return stages.initial, ()
    move = Transition(from_stage=None, to_stage=name, at=now, rule="initial_from_hubspot",
                      reason=f"first evaluation: adopted HubSpot {prop} '{value}' as the "
                             "starting stage", evidence={"properties": {prop: value}})
    return name, (move,)


def _evidence(ctx: StageContext, intent: IntentResult) -> dict[str, Any]:
    ids = list(intent.evidence.get("event_ids", ()))
    return {"score": round(ctx.score, 1), "fit_score": round(ctx.fit_score, 1),
            "engagement_score": round(ctx.engagement_score, 1), "grade": ctx.grade,
            "intent": ctx.intent, "lead_status": ctx.facts.lead_status, "verdict": ctx.verdict,
            "event_ids": ids, "properties": dict(intent.evidence.get("properties", {}))}


def _next_review(model, intent: IntentResult, totals, stage: str, since: datetime,
                 last_activity: datetime | None, now: datetime) -> datetime:
    """When the result could change without new events: intent lapse, window expiry, an
    inactivity rule coming due; never later than ``review_every_days``."""
    times = [now + timedelta(days=model.config.model.review_every_days)]
    for t in (intent.lapses_at, _dt(totals.next_expiry_ts),
              inactivity_deadline(model, stage, since, last_activity)):
        if t is not None and t > now:
            times.append(t)
    return min(times)


def _state(model, previous, *, stage, since, intent, fit, eng, score, grade, now, last_event,
           last_activity, review) -> LifecycleState:
    unchanged = previous is not None and previous.intent == intent.intent
    intent_since = previous.intent_since if unchanged and previous.intent_since else now
    if previous and previous.last_event_at and (last_event is None
                                                or previous.last_event_at > last_event):
        last_event = previous.last_event_at
    return LifecycleState(stage=stage, since=since, intent=intent.intent, intent_since=intent_since,
                          intent_lapses_at=intent.lapses_at, fit_score=fit,
                          engagement_score=eng, score=score, grade=grade,
                          scored_at=now, last_event_at=last_event, last_activity_at=last_activity,
                          next_review_at=review, model_version=model.version)


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
