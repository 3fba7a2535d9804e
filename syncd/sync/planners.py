"""Planners: given a qualified person, the effects that bring the systems in line.

A person's plan is a list of effects; each planner contributes its own and knows nothing
of the others, so a new one (a follow-up task, a HubSpot write-back) plugs in by being added
to the pipeline's list. Pure: values in, values out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from syncd.effects import Effect, RecordWrite
from syncd.mapping import FieldMapping
from syncd.models import CrmRecord, EngagementEvent, HubSpotContact
from syncd.sync.directory import Directory
from syncd.sync.inflight import as_before
from syncd.sync.match import MatchDecision
from syncd.sync.plan import plan_write
from syncd.sync.qualify import Qualified

__all__ = ["Person", "PlanContext", "Planner", "RecordPlanner", "agreed_values"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One pending person with everything the pure stages need about them."""

    contact: HubSpotContact
    decision: MatchDecision
    events: tuple[EngagementEvent, ...] = ()
    previous: Mapping[str, Any] | None = None  # lifecycle state after the last cycle
    last_written: Mapping[str, Any] | None = None  # what syncd last wrote to Salesforce
    written_at: datetime | None = None
    last_hubspot: Mapping[str, Any] | None = None  # what syncd last wrote to HubSpot
    hubspot_written_at: datetime | None = None
    follow_up: Mapping[str, Any] | None = None  # the latest follow-up under the SLA
    in_flight: Mapping[str, Any] | None = None  # Salesforce writes not yet accounted for (syncd.sync.inflight)

    @property
    def id(self) -> str:
        return self.contact.id

    @property
    def record_before(self) -> CrmRecord | None:
        """The Salesforce record as it was before syncd's writes still in flight: what
        qualifying and routing read, so a chunk run again after a crash between its writes
        and its commit decides as it did the first time."""
        return as_before(self.decision.record, self.in_flight)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanContext:
    """What every planner may read besides the person: the time, the run, the directory."""

    now: datetime
    run_id: str
    directory: Directory = field(default_factory=Directory)


class Planner(Protocol):
    def plan(self, person: Person, qualified: Qualified, ctx: PlanContext) -> Sequence[Effect]:
        """The effects this planner wants for ``person`` (none when nothing is to change)."""
        ...


def agreed_values(person: Person, mapping: FieldMapping) -> dict[str, Any]:
    """Per ``two_way`` Salesforce field: the value both sides held after syncd last wrote it
    (to Salesforce or to HubSpot, whichever was later); fields never written are absent."""
    record = person.decision.record
    object_name = record.object if record else mapping.salesforce.create_as
    sf, hs = person.last_written or {}, person.last_hubspot or {}
    out = {}
    for rule in mapping.fields:
        target = rule.target(object_name)
        if rule.rule != "two_way" or not target:
            continue
        seen = [(when, value) for when, book, key in ((person.written_at, sf, target),
                                                      (person.hubspot_written_at, hs, rule.hubspot))
                if key in book for value in (book[key],)]
        if seen:
            out[target] = max(seen, key=lambda s: s[0] or datetime.min.replace(tzinfo=UTC))[1]
    return out


@dataclass(frozen=True, slots=True)
class RecordPlanner:
    """The Salesforce Lead/Contact write: mapped fields by their sync rule, computed fields
    (stage, score, intent, profile) always; only what would change is sent."""

    mapping: FieldMapping
    verdict_of: Callable[[str], str | None] | None = None  # scoring.toml's Lead Status → verdict

    def plan(self, person: Person, qualified: Qualified, ctx: PlanContext) -> Sequence[Effect]:
        write = plan_write(person.contact, person.decision.record, qualified.computed, mapping=self.mapping,
                           last_written=person.last_written, matched_by=person.decision.matched_by,
                           agreed=agreed_values(person, self.mapping), owner=qualified.assignment)
        if write is not None and write.matched_by is None and person.decision.record is None:
            write = self._carry_verdict(person, write)
        return () if write is None else (write,)

    def _carry_verdict(self, person: Person, write: RecordWrite) -> RecordWrite:
        """A new Lead starts with the Lead Status that means what HubSpot's lead status means,
        so sales' verdict reads the same from either system (also after a crash between the
        create and its commit)."""
        status = carried_status(person, self.mapping, self.verdict_of)
        if status is None:
            return write
        hs_status = person.contact.properties.get("hs_lead_status")
        fields = {**write.fields, "Status": status}
        return replace(write, fields=fields, desired={**write.desired, "Status": status},
                       why={**write.why, "Status": f"HubSpot lead status {hs_status!r} ({self.verdict_of(status)})"})


def carried_status(person: Person, mapping: FieldMapping, verdict_of: Callable[[str], str | None] | None
                   ) -> str | None:
    """The Lead Status a Lead created for ``person`` starts with: the one whose verdict is
    what HubSpot's lead status says (None: the default status)."""
    hs_status = person.contact.properties.get("hs_lead_status")
    verdict = verdict_of(hs_status) if verdict_of and hs_status else None
    if verdict in (None, "converted"):
        return None
    return next((s for s in mapping.hubspot.lead_status_values if verdict_of(s) == verdict), None)
