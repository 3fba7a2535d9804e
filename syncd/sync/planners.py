"""Planners: given a qualified person, the effects that bring the systems in line.

A person's plan is a list of effects; each planner contributes its own and knows nothing
of the others, so a new one (a follow-up task, a HubSpot write-back) plugs in by being added
to the pipeline's list. Pure: values in, values out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from syncd.effects import Effect
from syncd.mapping import FieldMapping
from syncd.models import EngagementEvent, HubSpotContact
from syncd.sync.match import MatchDecision
from syncd.sync.plan import plan_write
from syncd.sync.qualify import Qualified

__all__ = ["Person", "Planner", "RecordPlanner"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One pending person with everything the pure stages need about them."""

    contact: HubSpotContact
    decision: MatchDecision
    events: tuple[EngagementEvent, ...] = ()
    previous: Mapping[str, Any] | None = None  # lifecycle state after the last cycle
    last_written: Mapping[str, Any] | None = None  # what syncd last wrote to Salesforce

    @property
    def id(self) -> str:
        return self.contact.id


class Planner(Protocol):
    def plan(self, person: Person, qualified: Qualified, *, now: datetime, run_id: str) -> Sequence[Effect]:
        """The effects this planner wants for ``person`` (none when nothing is to change)."""
        ...


@dataclass(frozen=True, slots=True)
class RecordPlanner:
    """The Salesforce Lead/Contact write: mapped fields by their sync rule, computed fields
    (stage, score, intent, profile) always; only what would change is sent."""

    mapping: FieldMapping

    def plan(self, person: Person, qualified: Qualified, *, now: datetime, run_id: str) -> Sequence[Effect]:
        write = plan_write(person.contact, person.decision.record, qualified.computed, mapping=self.mapping,
                           last_written=person.last_written, matched_by=person.decision.matched_by)
        return () if write is None else (write,)
