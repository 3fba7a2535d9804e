"""One sync cycle: the steps before the chunks (pull, …), then per chunk of pending people
match → qualify → plan → write → settle, each chunk committed in one transaction.

Order of durability: a pulled batch and its HubSpot cursors are committed together and
leave the contacts ``pending``; a person leaves the pending set only in the transaction
that keeps their chunk's results (written, rejected with a reason, or queued for review).
A crash anywhere therefore resumes with the same pending people, and writes are idempotent
(upsert on the HubSpot id, or update of an already linked record). A failure in one chunk
keeps what that chunk and the earlier ones achieved, then ends the cycle. What a chunk is
about to write to Salesforce is kept before it writes (``syncd.sync.inflight``), so a chunk
run again after a crash between its writes and its commit decides on the records as they
were, not on syncd's own writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from syncd.clock import Clock
from syncd.models import HubSpotContact
from syncd.ports import CrmGateway, HubSpotSource, PullBatch, StateStore
from syncd.sync import inflight, stages
from syncd.sync.executors import Executor, RecordExecutor
from syncd.sync.mirror import MirrorStep
from syncd.sync.directory import Directory, DirectoryLoader
from syncd.sync.followup import TaskExecutor, TaskPlanner, route_people
from syncd.sync.plan import same_value
from syncd.sync.planners import PlanContext, Planner, RecordPlanner, carried_status
from syncd.readahead import ReadAhead
from syncd.sync.pullgroup import PullGroups
from syncd.sync.sla import SlaStep
from syncd.sync.writeback import HubSpotFlushStep, HubSpotQueueExecutor, HubSpotWritePlanner
from syncd.sync.rules import SyncRules
from syncd.sync.summary import CycleSummary

__all__ = ["CycleDeps", "CycleStep", "EchoStep", "PullStep", "ReviewDueStep", "echo_of_own_writes", "plan_cycle",
           "run_cycle"]


class CycleStep(Protocol):
    """A step that runs once per cycle before the chunks (pull, import, mirror refresh…)."""

    def run(self, deps: CycleDeps, summary: CycleSummary, *, now: datetime, run_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class PullStep:
    """Contacts and engagement changed since the cursors, stored batch by batch with them.
    A contact whose only change is what syncd itself wrote to HubSpot is stored without
    becoming pending (no echo). The next pages are read while a batch is stored
    (``deps.read_ahead`` of them at most; 0 reads one at a time)."""

    def run(self, deps: CycleDeps, summary: CycleSummary, *, now: datetime, run_id: str) -> None:
        log = structlog.get_logger("syncd.cycle").bind(run_id=run_id)
        cursors = {k: v for k, v in deps.store.load_cursors().items() if not k.startswith("backfill:")}
        properties = deps.rules.hubspot_properties()
        # several pages per transaction, while the next ones are read
        with PullGroups(deps.store, now=now) as groups, \
                ReadAhead(lambda: deps.hubspot.pull(cursors, properties=properties, now=now),
                          depth=deps.read_ahead) as batches:
            for batch in batches:
                groups.before(batch)
                quiet = echo_of_own_writes(deps.store, batch)
                groups.add(batch, quiet)
                summary.pulled += len(batch.contacts) - len(quiet)
                summary.other["echo"] += len(quiet)
                summary.merged += len(batch.merges)
                summary.deleted += len(batch.deleted)
                log.debug("pull.batch", contacts=len(batch.contacts), events=len(batch.events))
        summary.events += groups.new_events


@dataclass(frozen=True, slots=True)
class EchoStep:
    """After a cycle that wrote to HubSpot, the contacts cursor learns what syncd wrote (the
    source folds its own updates in), so the next read does not pay for reading them back.
    A source that cannot fold returns them in the next pull, where ``echo_of_own_writes``
    recognises them by value."""

    def run(self, deps: CycleDeps, summary: CycleSummary, *, now: datetime, run_id: str) -> None:
        folded = deps.hubspot.fold_own_writes(deps.store.load_cursors())
        if folded:
            deps.store.save_pull_batch(PullBatch(cursors=dict(folded)), now=now, quiet=set())


@dataclass(frozen=True, slots=True)
class ReviewDueStep:
    """People whose score or intent may change by time alone (decay, an intent lapse)."""

    def run(self, deps: CycleDeps, summary: CycleSummary, *, now: datetime, run_id: str) -> None:
        summary.reviewed = deps.store.mark_due_for_review(now)


@dataclass(frozen=True, kw_only=True)
class CycleDeps:
    """The ports a cycle talks to, the rules it applies, and its pluggable stages."""

    hubspot: HubSpotSource
    crm: CrmGateway
    store: StateStore
    clock: Clock
    rules: SyncRules
    before: tuple[CycleStep, ...] = ()
    after: tuple[CycleStep, ...] = ()
    planners: tuple[Planner, ...] = ()
    executors: tuple[Executor, ...] = ()
    directory: DirectoryLoader | None = None
    read_ahead: int = 4  # HubSpot pages read while the ones before them are stored (0: none)

    @classmethod
    def standard(cls, *, hubspot: HubSpotSource, crm: CrmGateway, store: StateStore, clock: Clock,
                 rules: SyncRules, mirror_every: timedelta = timedelta(minutes=5),
                 directory: DirectoryLoader | None = None, read_ahead: int = 4) -> CycleDeps:
        """The cycle syncd runs: the HubSpot pull, re-review, the Salesforce mirror, then the
        Salesforce record write."""
        planners: list[Planner] = [RecordPlanner(rules.mapping, rules.model.verdict_of)]
        executors: list[Executor] = [RecordExecutor(crm, rules.external_id_field)]
        before: list[CycleStep] = [PullStep(), ReviewDueStep(),
                                   MirrorStep(every=mirror_every, tasks=rules.routing is not None)]
        if rules.routing is not None:
            planners.append(TaskPlanner(rules.routing))
            executors.append(TaskExecutor(crm))
            before.append(SlaStep(rules.routing))
        after: list[CycleStep] = []
        if rules.mapping.hubspot.properties():
            planners.append(HubSpotWritePlanner(rules.mapping, rules.hubspot_stages, rules.model.verdict_of))
            executors.append(HubSpotQueueExecutor())
            after += [HubSpotFlushStep(), EchoStep()]
        return cls(hubspot=hubspot, crm=crm, store=store, clock=clock, rules=rules, before=tuple(before),
                   after=tuple(after),
                   planners=tuple(planners), executors=tuple(executors),
                   directory=directory or DirectoryLoader(crm, hubspot), read_ahead=read_ahead)


HUBSPOT_VOLATILE = frozenset({"lastmodifieddate", "hs_lastmodifieddate", "hs_object_id"})


def echo_of_own_writes(store: StateStore, batch: PullBatch) -> set[str]:
    """Contacts of ``batch`` whose every changed property holds what syncd last wrote to it
    (and with no new engagement): the echo of syncd's own write-back."""
    ids = [c.id for c in batch.contacts]
    if not ids:
        return set()
    written, old = store.hubspot_states(ids), store.contact_properties(ids)
    active = {e.contact_id for e in batch.events}
    quiet = set()
    for c in batch.contacts:
        mine, before = (written.get(c.id) or {}).get("properties"), old.get(c.id)
        if not mine or before is None or c.id in active:
            continue
        changed = {k for k in c.properties.keys() | before.keys()
                   if k not in HUBSPOT_VOLATILE and not same_value(before.get(k), c.properties.get(k))}
        if all(k in mine and same_value(mine[k], c.properties.get(k)) for k in changed):
            quiet.add(c.id)
    return quiet


def run_cycle(deps: CycleDeps, *, run_id: str, stop: threading.Event | None = None) -> CycleSummary:
    """Run one cycle and return its summary; connector errors propagate to the caller after
    the chunk they interrupted has been kept."""
    summary = CycleSummary(run_id=run_id)
    started = time.monotonic()
    calls_before = _calls(deps)
    for step in deps.before:
        with _timed(summary, type(step).__name__):
            step.run(deps, summary, now=deps.clock.now(), run_id=run_id)
    after = ""
    alongside = [step.alongside(deps, summary, run_id=run_id) for step in deps.after
                 if deps.read_ahead and hasattr(step, "alongside")]  # the pipeline's writes during the chunks
    try:
        with _timed(summary, "chunks"):
            try:
                while not (stop and stop.is_set()):
                    contacts = deps.store.pending_contacts(deps.rules.chunk_size, after=after)
                    if not contacts:
                        break
                    _process(deps, contacts, summary, run_id, alongside)
                    after = contacts[-1].id
            finally:
                for running in alongside:
                    running.finish(now=deps.clock.now())
    except Exception:
        _after_failure(deps, summary, run_id)
        raise
    for step in deps.after if not (stop and stop.is_set()) else ():  # asked to stop: the next cycle does it
        with _timed(summary, type(step).__name__):
            step.run(deps, summary, now=deps.clock.now(), run_id=run_id)
    _account(deps, summary, calls_before)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


@contextmanager
def _timed(summary: CycleSummary, name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        summary.step_seconds[name] = round(summary.step_seconds.get(name, 0) + time.monotonic() - started, 3)


def _after_failure(deps: CycleDeps, summary: CycleSummary, run_id: str) -> None:
    """A chunk failed: steps that finish what the earlier chunks began (``after_failure``,
    e.g. sending their queued HubSpot writes) still run; their own failure is logged and
    the chunk's error is the one reported."""
    for step in deps.after:
        if getattr(step, "after_failure", False):
            try:
                step.run(deps, summary, now=deps.clock.now(), run_id=run_id)
            except Exception as exc:  # noqa: BLE001 — the chunk's error is raised by the caller
                structlog.get_logger("syncd.cycle").warning("cycle.after_step_failed", run_id=run_id,
                                                            step=type(step).__name__, error=str(exc))


def plan_cycle(deps: CycleDeps, *, run_id: str) -> list[stages.PersonPlan]:
    """The effects the next cycle would carry out, without carrying them out: the steps
    before the chunks run (they read and store what the systems hold), then every pending
    person is matched, qualified, routed and planned; nothing is written or settled."""
    summary = CycleSummary(run_id=run_id)
    for step in deps.before:
        step.run(deps, summary, now=deps.clock.now(), run_id=run_id)
    plans: list[stages.PersonPlan] = []
    after = ""
    while contacts := deps.store.pending_contacts(deps.rules.chunk_size, after=after):
        plans += _planned(deps, contacts, run_id, deps.clock.now())[0]
        after = contacts[-1].id
    return plans


def _planned(deps: CycleDeps, contacts: Sequence[HubSpotContact], run_id: str, now: datetime
             ) -> tuple[tuple[stages.PersonPlan, ...], Any]:
    matched = stages.match(deps.crm, deps.store, contacts, external_id_field=deps.rules.external_id_field)
    rules = deps.rules
    qualified = stages.qualify_all(matched, rules.model, now=now, run_id=run_id,
                                   new_lead_status=lambda p: carried_status(p, rules.mapping, rules.model.verdict_of))
    directory = deps.directory.get(now) if deps.directory and any(q for _, q in qualified) else Directory()
    turns = None
    if deps.rules.routing is not None:
        qualified, turns = route_people(deps.rules.routing, qualified, directory,
                                        positions=deps.store.routing_positions(),
                                        open_per_owner=deps.store.open_per_owner())
    return stages.plan(qualified, deps.planners, PlanContext(now=now, run_id=run_id, directory=directory)), turns


def _process(deps: CycleDeps, contacts: Sequence[HubSpotContact], summary: CycleSummary, run_id: str,
             alongside: Sequence[Any] = ()) -> None:
    now = deps.clock.now()
    plans, turns = _planned(deps, contacts, run_id, now)
    if writes := inflight.planned(plans):  # kept before writing: a crash before the commit replays the same
        deps.store.save_writes_in_flight(writes, run_id=run_id, now=now)
    report = stages.write(plans, deps.executors, now=now, run_id=run_id)
    settled = stages.settle(plans, report, now=now, run_id=run_id)
    result = settled.result if turns is None else replace(settled.result, facts=(*settled.result.facts, turns))
    deps.store.commit_chunk(result, now=now)
    for running in alongside:
        running.chunk_committed(result, now=now)
    summary.absorb(settled.tally)
    if report.error is not None:
        raise report.error


def _calls(deps: CycleDeps) -> dict[str, dict[str, int]]:
    return {"hubspot": dict(deps.hubspot.usage().calls), "salesforce": dict(deps.crm.usage().calls)}


def _account(deps: CycleDeps, summary: CycleSummary, before: dict[str, dict[str, int]]) -> None:
    after = _calls(deps)
    for system in ("hubspot", "salesforce"):
        delta = {k: v - before[system].get(k, 0) for k, v in after[system].items()
                 if v - before[system].get(k, 0)}
        summary.api_calls_by_endpoint[system] = delta
        summary.api_calls[system] = sum(delta.values())
    summary.budget_left = {"hubspot": deps.hubspot.usage().remaining,
                           "salesforce": deps.crm.usage().remaining}
