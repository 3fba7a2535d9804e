"""The per-chunk stages of a cycle: match → qualify → plan → write → settle.

Each stage takes the previous one's frozen result and returns its own. ``match`` and
``write`` are the shell around the pure steps (they talk to the ports); ``qualify``,
``plan`` and ``settle`` take values and ``now`` and return values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from syncd.effects import ChunkResult, Effect, EffectOutcome, Link, Reject, ReviewItem
from syncd.lifecycle import ScoringModel
from syncd.models import HubSpotContact
from syncd.ports import CrmGateway, StateStore
from syncd.sync.executors import Executor, PartialWrite
from syncd.sync.lookup import look_up
from syncd.sync.planners import Person, PlanContext, Planner
from syncd.sync.qualify import Qualified, qualify

__all__ = ["Matched", "PersonPlan", "Settled", "Tally", "WriteReport", "match", "plan", "qualify_all",
           "settle", "write"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Matched:
    """A chunk's people with their match decisions, and the opportunity facts of the
    accounts of the matched Contacts."""

    people: tuple[Person, ...]
    opportunities: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonPlan:
    """One person's effects; ``qualified`` is None for people parked by matching."""

    person: Person
    qualified: Qualified | None
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteReport:
    """The outcomes of the effects executed; ``error`` stopped the rest (they stay pending)."""

    outcomes: tuple[EffectOutcome, ...] = ()
    error: BaseException | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """What a chunk adds to the cycle summary."""

    counts: Mapping[str, int]
    stages: Mapping[str, int]
    intents: Mapping[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Settled:
    result: ChunkResult
    tally: Tally


def match(crm: CrmGateway, store: StateStore, contacts: Sequence[HubSpotContact], *,
          external_id_field: str) -> Matched:
    """Shell: read candidates and links, decide matches (pure), read opportunity facts."""
    decisions, opportunities = look_up(crm, store, contacts, external_id_field=external_id_field)
    ids = [c.id for c in contacts]
    events, previous = store.events_for(ids), store.lifecycle_states(ids)
    written, hubspot, follow_ups = store.record_states(ids), store.hubspot_states(ids), store.follow_ups_for(ids)
    in_flight = store.writes_in_flight(ids)
    by_id = {c.id: c for c in contacts}
    people = tuple(Person(contact=by_id[d.hubspot_id], decision=d, events=tuple(events.get(d.hubspot_id, ())),
                          previous=previous.get(d.hubspot_id),
                          last_written=(written.get(d.hubspot_id) or {}).get("fields"),
                          written_at=(written.get(d.hubspot_id) or {}).get("written_at"),
                          last_hubspot=(hubspot.get(d.hubspot_id) or {}).get("properties"),
                          hubspot_written_at=(hubspot.get(d.hubspot_id) or {}).get("written_at"),
                          follow_up=follow_ups.get(d.hubspot_id), in_flight=in_flight.get(d.hubspot_id))
                   for d in decisions)
    return Matched(people=people, opportunities=opportunities)


def qualify_all(matched: Matched, model: ScoringModel, *, now: datetime, run_id: str,
                new_lead_status: Callable[[Person], str | None] | None = None
                ) -> tuple[tuple[Person, Qualified | None], ...]:
    """Pure: every matched person qualified, on the Salesforce record as it was before
    syncd's writes still in flight (``Person.record_before``); people parked by matching are
    not. A person without a Salesforce record is qualified with the Lead Status their new
    Lead will get (``new_lead_status``), so the first cycle and the next read the same verdict."""
    def qualified(p: Person) -> Qualified | None:
        if p.decision.action in ("review", "skip"):
            return None
        record = p.record_before
        return qualify(model, p.contact, record, p.events, p.previous, now=now, run_id=run_id,
                       opportunities=matched.opportunities,
                       new_lead_status=new_lead_status(p) if new_lead_status and record is None else None)
    return tuple((p, qualified(p)) for p in matched.people)


def plan(qualified: Sequence[tuple[Person, Qualified | None]], planners: Sequence[Planner],
         ctx: PlanContext) -> tuple[PersonPlan, ...]:
    """Pure: each planner's effects for each qualified person, in planner order."""
    return tuple(PersonPlan(person=p, qualified=q, effects=() if q is None else tuple(
        e for planner in planners for e in planner.plan(p, q, ctx)))
        for p, q in qualified)


def write(plans: Sequence[PersonPlan], executors: Sequence[Executor], *, now: datetime,
          run_id: str) -> WriteReport:
    """Shell: hand each kind of effect to its executor. A failure keeps what was done."""
    unknown = {type(e).__name__ for pp in plans for e in pp.effects} - {
        x.effect_type.__name__ for x in executors}
    if unknown:
        raise TypeError(f"no executor for effects of type {sorted(unknown)}")
    outcomes: list[EffectOutcome] = []
    for executor in executors:
        effects = [e for pp in plans for e in pp.effects if isinstance(e, executor.effect_type)]
        if not effects:
            continue
        try:
            outcomes += executor.execute(effects, run_id=run_id, now=now, earlier=tuple(outcomes))
        except PartialWrite as partial:
            return WriteReport(outcomes=(*outcomes, *partial.outcomes), error=partial.cause)
        except Exception as exc:  # noqa: BLE001 — re-raised by the cycle once the chunk is kept
            return WriteReport(outcomes=tuple(outcomes), error=exc)
    return WriteReport(outcomes=tuple(outcomes))


def settle(plans: Sequence[PersonPlan], report: WriteReport, *, now: datetime, run_id: str) -> Settled:
    """Pure: the chunk's facts and who leaves the pending set. A person is settled when
    every effect of theirs was applied or refused for good; one to retry keeps them pending.
    What an applied effect produced is always kept (a record written is linked); the new
    lifecycle state and its transitions only with the person's settling, so a person still
    pending is qualified again from where they were and a crossing of the trigger is seen
    again until its follow-up exists. A person none of whose effects ran (the write stage
    stopped before them) keeps their writes in flight."""
    by_person: dict[str, list[EffectOutcome]] = {}
    for outcome in report.outcomes:
        by_person.setdefault(outcome.hubspot_id, []).append(outcome)
    facts: list[Any] = []
    settled: list[str] = []
    counts: Counter = Counter()
    stages: Counter = Counter()
    intents: Counter = Counter()
    for pp in plans:
        person, q = pp.person, pp.qualified
        if q is None:
            facts.append(_parked(person, run_id, now))
            counts["review" if person.decision.action == "review" else "skipped"] += 1
            settled.append(person.id)
            continue
        counts["matched"] += person.decision.action == "link"
        stages[q.computed.values.get("stage")] += 1
        intents[q.computed.values.get("intent")] += 1
        done = by_person.get(person.id, [])
        for outcome in done:
            facts += outcome.facts
            counts.update(outcome.counts)
        if not pp.effects:
            counts["unchanged"] += 1
        record = person.decision.record
        linked = any(isinstance(f, Link) for o in done for f in o.facts)
        if record is not None and person.decision.matched_by not in (None, "id_map") and not linked:
            # matched, and Salesforce already holds what syncd would write there (say a cycle
            # stopped after its writes, before its commit): keep the link all the same
            facts.append(Link(hubspot_id=person.id, sf_object=record.object, sf_id=record.id,
                              matched_by=person.decision.matched_by))
        if len(done) == len(pp.effects) and all(o.status != "retry" for o in done):
            settled.append(person.id)
            facts += [q.lifecycle, *q.changes]
            counts["stage_moves"] += len(q.changes)
    done = {*by_person, *settled}
    accounted = tuple(pp.person.id for pp in plans if pp.person.id in done)
    return Settled(result=ChunkResult(facts=tuple(facts), settled=tuple(settled), accounted_for=accounted),
                   tally=Tally(counts=dict(counts), stages=dict(stages), intents=dict(intents)))


def _parked(person: Person, run_id: str, now: datetime) -> ReviewItem | Reject:
    d = person.decision
    if d.action == "review":
        return ReviewItem(hubspot_id=d.hubspot_id, reason=d.reason, candidates=tuple(d.candidates))
    code = "REVIEW_REJECTED" if d.matched_by == "review" else "NO_EMAIL"
    return Reject(hubspot_id=d.hubspot_id, sf_object=None, code=code, message=d.reason,
                  run_id=run_id, at=now)
