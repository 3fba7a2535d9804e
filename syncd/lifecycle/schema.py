"""The shape of ``mappings/scoring.toml``: frozen pydantic models, unknown keys refused.

Field-level checks live here; checks across fields (event kinds, regexes, threshold
order, stage names against the portal) live in ``validate`` so that every problem is
collected in one pass.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EngagementGroup", "EngagementRule", "EngagementSection", "FitGroup", "FitRule",
           "FitSection", "IntentSection", "ScoringFile", "StageDef", "StageRule",
           "StagesSection", "Verdict"]

Verdict = Literal["open", "working", "recycled", "disqualified", "converted"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelSection(_Frozen):
    version: int = 1
    profile_max_chars: int = Field(default=1000, ge=80)
    review_every_days: float = Field(default=30, gt=0)
    """Longest time between two re-checks of a quiet contact (a safety net)."""


class FitGroup(_Frozen):
    cap: float | None = None
    floor: float | None = None


class FitRule(_Frozen):
    name: str
    group: str
    property: str
    type: Literal["equals", "in", "range", "regex", "missing"]
    points: float
    value: str | None = None
    values: list[str] | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None


class FitSection(_Frozen):
    groups: dict[str, FitGroup] = {}
    rules: list[FitRule] = []
    grades: dict[Literal["A", "B", "C"], float] = {}


class EngagementGroup(_Frozen):
    half_life_days: float | None = None
    window_days: float | None = None
    cap: float | None = None
    floor: float | None = None


class EngagementRule(_Frozen):
    name: str
    kind: str
    group: str
    points: float
    where: dict[str, str] = {}
    """Attribute name -> regular expression searched (case-insensitive) in its value."""
    where_in: dict[str, list[str]] = {}
    """Attribute name -> accepted values (case-insensitive exact match)."""
    hand_raise_form: bool | None = None
    """True: only forms in ``intent.hand_raise_forms``; False: only the other forms."""


class EngagementSection(_Frozen):
    groups: dict[str, EngagementGroup] = {}
    rules: list[EngagementRule] = []


class IntentSection(_Frozen):
    hand_raise_forms: list[str] = []
    hand_raise_kinds: list[str] = []
    hand_raise_attributes: dict[str, list[str]] = {}
    consent_properties: dict[str, list[str]] = {}
    active_score: float | None = None
    active_window_days: float = Field(default=30, gt=0)
    lapse_after_days: float = Field(default=30, gt=0)
    keep_active_verdicts: list[Verdict] = ["working"]


class StageDef(_Frozen):
    rank: int
    hubspot: str
    salesforce: str
    label: str | None = None


class StageRule(_Frozen):
    name: str
    to: str
    backward: bool = False
    from_: list[str] | None = Field(default=None, alias="from")
    reason: str | None = None
    min_score: float | None = None
    min_engagement: float | None = None
    """Engagement score needed as well, so fit alone cannot qualify a contact."""
    min_grade: Literal["A", "B", "C", "D"] | None = None
    intent: Literal["passive", "active"] | None = None
    verdict: list[Verdict] | None = None
    not_verdict: list[Verdict] | None = None
    converted: bool | None = None
    open_opportunity: bool | None = None
    closed_won: bool | None = None
    churned: bool | None = None
    any_event: list[str] | None = None
    inactive_days: float | None = None
    new_activity: bool | None = None
    """True: only if an event arrived after the contact entered its current stage."""


class StagesSection(_Frozen):
    initial: str
    initial_from_property: str | None = None
    """On a first evaluation, start from the stage whose ``hubspot`` value this property holds."""
    ladder: list[str]
    defs: dict[str, StageDef]
    rules: list[StageRule]


class ScoringFile(_Frozen):
    model: ModelSection = ModelSection()
    fit: FitSection = FitSection()
    engagement: EngagementSection = EngagementSection()
    intent: IntentSection = IntentSection()
    lead_status: dict[str, Verdict] = {}
    stages: StagesSection
