"""Values in and out of the engine: contact facts, the persisted lifecycle state, transitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from syncd.models import require_aware

__all__ = ["ContactFacts", "LifecycleState", "Transition", "ymd"]

_TIMES = ("since", "intent_since", "intent_lapses_at", "scored_at", "last_event_at",
          "last_activity_at", "next_review_at")


def ymd(at: datetime) -> str:
    """``f"{at:%Y-%m-%d}"`` (the date in ``at``'s own zone) without the cost of strftime."""
    return at.date().isoformat() if at.year >= 1000 else f"{at:%Y-%m-%d}"


@dataclass(frozen=True, kw_only=True)
class ContactFacts:
    """What the engine knows about a contact besides its engagement events.

    ``properties`` are HubSpot contact (and company) properties; the CRM facts come from
    the matched Salesforce Lead/Contact, its Account and Opportunities.
    """

    contact_id: str
    properties: Mapping[str, str | None]
    lead_status: str | None = None
    is_converted: bool = False
    has_open_opportunity: bool = False
    has_closed_won: bool = False
    churned: bool = False
    owner_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Transition:
    """One stage move: which rule moved the contact, when, why, and on what evidence."""

    from_stage: str | None
    to_stage: str
    at: datetime
    rule: str
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    backward: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form; ``at`` as ISO 8601."""
        return {"from_stage": self.from_stage, "to_stage": self.to_stage,
                "at": self.at.isoformat(), "rule": self.rule, "reason": self.reason,
                "evidence": dict(self.evidence), "backward": self.backward}


@dataclass(frozen=True, kw_only=True)
class LifecycleState:
    """A contact's lifecycle state as the caller persists it between evaluations."""

    stage: str
    since: datetime
    intent: str = "passive"
    intent_since: datetime | None = None
    intent_lapses_at: datetime | None = None
    fit_score: float = 0.0
    engagement_score: float = 0.0
    score: float = 0.0
    grade: str | None = None
    scored_at: datetime | None = None
    last_event_at: datetime | None = None
    last_activity_at: datetime | None = None
    next_review_at: datetime | None = None
    model_version: str = ""

    def __post_init__(self) -> None:
        for name in _TIMES:
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                require_aware(name, value)  # raises with the field's name

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (datetimes as ISO 8601 strings)."""
        data = {name: getattr(self, name) for name in _FIELDS}  # every field is a flat value
        for name in _TIMES:
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LifecycleState:
        """Rebuild a state from ``to_dict()`` output; unknown or bad fields raise ValueError."""
        unknown = sorted(set(data) - _KNOWN)
        if unknown:
            raise ValueError(f"lifecycle state has unknown field(s) {unknown}; "
                             f"expected only {sorted(_KNOWN)}")
        values = dict(data)
        for name in _TIMES:
            if isinstance(values.get(name), str):
                try:
                    values[name] = datetime.fromisoformat(values[name])
                except ValueError as exc:
                    raise ValueError(f"lifecycle state field '{name}': {exc}") from None
        return cls(**values)


_FIELDS = tuple(f.name for f in fields(LifecycleState))
_KNOWN = frozenset(_FIELDS)
_set = object.__setattr__


def new_transition(from_stage: str | None, to_stage: str, at: datetime, rule: str, reason: str,
                   evidence: Mapping[str, Any], backward: bool) -> Transition:
    """``Transition(...)`` with every field given, for the engine's own moves: the same
    value as the constructor's, built without one frozen-attribute write per field."""
    t = object.__new__(Transition)
    _set(t, "__dict__", {"from_stage": from_stage, "to_stage": to_stage, "at": at, "rule": rule,
                         "reason": reason, "evidence": evidence, "backward": backward})
    return t


def new_state(stage: str, since: datetime, intent: str, intent_since: datetime | None,
              intent_lapses_at: datetime | None, fit_score: float, engagement_score: float,
              score: float, grade: str | None, scored_at: datetime | None,
              last_event_at: datetime | None, last_activity_at: datetime | None,
              next_review_at: datetime | None, model_version: str) -> LifecycleState:
    """``LifecycleState(...)`` with every field given, for the engine, whose times are all
    timezone-aware already (``now``, event times and the previous state's): the same value
    as the constructor's, built without one frozen-attribute write per field."""
    s = object.__new__(LifecycleState)
    _set(s, "__dict__", {
        "stage": stage, "since": since, "intent": intent, "intent_since": intent_since,
        "intent_lapses_at": intent_lapses_at, "fit_score": fit_score,
        "engagement_score": engagement_score, "score": score, "grade": grade,
        "scored_at": scored_at, "last_event_at": last_event_at,
        "last_activity_at": last_activity_at, "next_review_at": next_review_at,
        "model_version": model_version})
    return s
