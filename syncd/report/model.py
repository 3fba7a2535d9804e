"""The report as values: everything the terminal summary and the HTML page show.

Only counts, codes, stage names and record/contact ids: never a name, email or phone.
``None`` means "no data for this yet" and is shown as "n/a".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["OUTCOMES", "Funnel", "FunnelStage", "RejectReason", "Report", "ReviewSummary", "RunPoint"]

OUTCOMES = ("created", "updated", "unchanged", "rejected", "review", "skipped", "retrying")
"""Per-record outcomes of a cycle, in the order charts stack them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPoint:
    """One cycle: when, how it ended, its counts and its API use."""

    run_id: str
    started_at: datetime
    status: str
    seconds: float
    outcomes: Mapping[str, int]
    pulled: int
    api_calls: Mapping[str, int]
    budget_left: Mapping[str, int | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectReason:
    code: str
    count: int
    reason: str
    examples: tuple[str, ...]  # "HubSpot id → object", ids only


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewSummary:
    size: int
    oldest: datetime | None
    reasons: Mapping[str, int]
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FunnelStage:
    """Contacts that ever reached ``stage`` (or a later one), split by intent today."""

    stage: str
    label: str
    reached: int
    passive: int
    active: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    off_ladder: Mapping[str, int]
    intents: Mapping[str, int]
    mql_to_sql: float | None
    mql_count: int
    active_to_first_touch_hours: float | None = None
    followed_up_within_sla: float | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    generated_at: datetime
    since: datetime | None
    runs: tuple[RunPoint, ...]
    outcomes: Mapping[str, int]
    rejects: tuple[RejectReason, ...]
    review: ReviewSummary
    api_calls: Mapping[str, int]
    budget_left: Mapping[str, int | None]
    funnel: Funnel
    runs_by_status: Mapping[str, int] = field(default_factory=dict)
