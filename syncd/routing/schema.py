"""The shape of ``mappings/routing.toml``: frozen pydantic models, unknown keys refused.

Single values are checked by the types in ``values``; checks across keys (users or a
queue, min below max, a manager for manager tasks) live in ``validate`` so that every
problem is reported in one pass.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from syncd.routing.values import (AssigneeSpec, ClockTime, CountryCode, Email, SubjectTemplate,
                                  TimeZoneName)

__all__ = ["Condition", "OwnerSection", "PoolSection", "RoutingRules", "SlaSection",
           "StatusSection", "Territory", "TriggerSection", "Weekday"]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TriggerSection(_Frozen):
    """When a follow-up starts: intent turns active, or the stage enters one of ``stages``."""

    intent_active: bool = True
    stages: tuple[str, ...] = ("mql", "sql")


class OwnerSection(_Frozen):
    keep_existing: bool = True
    """A record already owned by an active user (not a queue) keeps its owner."""
    hubspot_owner: bool = True
    """The HubSpot owner's email names the Salesforce user."""
    ignore_owners: tuple[Email, ...] = ()
    """Users whose records count as unowned (the integration user that creates them)."""
    fallback: AssigneeSpec


class Condition(_Frozen):
    """A test on one HubSpot property: one of ``values`` (case ignored), or a number (or a
    band such as "100-500") within ``min`` and ``max``."""

    property: str = Field(min_length=1)
    values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None


class Territory(_Frozen):
    name: str = Field(min_length=1)
    countries: tuple[CountryCode, ...] = ()
    states: tuple[str, ...] = ()
    segment: tuple[Condition, ...] = ()
    users: tuple[Email, ...] = ()
    queue: str | None = Field(default=None, min_length=1)
    cap_open_active: int | None = Field(default=None, ge=1)
    overflow: Literal["next", "round_robin", "fallback"] = "next"


class PoolSection(_Frozen):
    """The default round-robin pool, used when no territory takes a person."""

    users: tuple[Email, ...] = ()
    cap_open_active: int | None = Field(default=None, ge=1)


class SlaSection(_Frozen):
    hours: float = Field(default=4, ge=0, le=10_000)
    timezone: TimeZoneName = "UTC"
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: ClockTime = "09:00"
    end: ClockTime = "17:00"
    holidays_country: str | None = None
    holidays_subdivision: str | None = None
    holidays: tuple[date, ...] = ()
    priority: str = Field(default="High", min_length=1)
    subject: SubjectTemplate = "Follow up: {name} — {intent} intent, {stage}"
    escalation: Literal["none", "reassign", "manager_task"] = "none"
    manager: AssigneeSpec | None = None


class StatusSection(_Frozen):
    not_contacted: tuple[str, ...] = ("Open - Not Contacted",)

    def untouched(self, lead_status: str | None) -> bool:
        """True while a Lead Status says sales has not contacted the lead (case ignored)."""
        wanted = {s.strip().casefold() for s in self.not_contacted}
        return lead_status is not None and lead_status.strip().casefold() in wanted


class RoutingRules(_Frozen):
    """A validated ``routing.toml``. Build it with ``load_routing``."""

    trigger: TriggerSection = TriggerSection()
    owner: OwnerSection
    territories: tuple[Territory, ...] = ()
    round_robin: PoolSection = PoolSection()
    sla: SlaSection = SlaSection()
    status: StatusSection = StatusSection()
    _source: str = PrivateAttr(default="routing.toml")

    @property
    def source(self) -> str:
        """The file these rules came from; issues found later name it."""
        return self._source
