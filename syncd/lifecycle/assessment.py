"""The outcome of one evaluation, with its explanation built on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from syncd.lifecycle.intent import IntentResult
from syncd.lifecycle.state import ContactFacts, LifecycleState, Transition
from syncd.models import EngagementEvent

__all__ = ["Assessment", "new_assessment"]


@dataclass(frozen=True, kw_only=True, eq=False)
class Assessment:
    """The outcome of one evaluation. ``breakdown`` is built on first access (it re-runs
    the scoring with detail on), so the sync pays for explanations only when it shows them."""

    model: Any
    facts: ContactFacts
    events: Sequence[EngagementEvent]
    now: datetime
    fit_score: float
    engagement_score: float
    score: float
    grade: str | None
    intent: str
    intent_reason: str
    intent_detail: IntentResult
    verdict: str | None
    stage: str
    transitions: tuple[Transition, ...]
    state: LifecycleState
    next_review_at: datetime
    warnings: tuple[str, ...] = ()
    rows: tuple[list, list] | None = None  # (fit rows, engagement rows) when evaluated with detail

    @property
    def hubspot_stage(self) -> str:
        """The portal's ``lifecyclestage`` value for the stage."""
        return self.model.stage_defs[self.stage].hubspot

    @property
    def salesforce_stage(self) -> str:
        """The Salesforce picklist value written for the stage."""
        return self.model.stage_defs[self.stage].salesforce

    @cached_property
    def breakdown(self) -> dict[str, Any]:
        """Every rule and event with points, decay and caps; intent; stage and transitions."""
        from syncd.lifecycle.explain import build_breakdown

        return build_breakdown(self)

    def to_json(self) -> dict[str, Any]:
        """The breakdown as a JSON-able dict."""
        return self.breakdown


def new_assessment(model, facts, events, now, fit_score, engagement_score, score, grade, intent,
                   intent_reason, intent_detail, verdict, stage, transitions, state,
                   next_review_at, warnings, rows) -> Assessment:
    """``Assessment(...)`` with every field given, for ``evaluate``: the same value as the
    constructor's, built without one frozen-attribute write per field."""
    a = object.__new__(Assessment)
    object.__setattr__(a, "__dict__", {
        "model": model, "facts": facts, "events": events, "now": now, "fit_score": fit_score,
        "engagement_score": engagement_score, "score": score, "grade": grade, "intent": intent,
        "intent_reason": intent_reason, "intent_detail": intent_detail, "verdict": verdict,
        "stage": stage, "transitions": transitions, "state": state,
        "next_review_at": next_review_at, "warnings": warnings, "rows": rows})
    return a
