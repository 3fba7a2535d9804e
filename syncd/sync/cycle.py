"""One sync cycle: pull → store → match → qualify → plan → write → settle.

The shell around the pure core. Order of durability: a pulled batch and its HubSpot cursors
are committed together and leave the contacts ``pending``; a contact leaves the pending set
only after its Salesforce write is settled (written, rejected with a reason, or queued for
review). A crash anywhere therefore resumes with the same pending contacts, and writes are
idempotent (upsert on the HubSpot id, or update of an already linked record).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog

from syncd.clock import Clock
from syncd.config import Settings
from syncd.models import HubSpotContact
from syncd.ports import CrmGateway, HubSpotSource
from syncd.store import StateStore
from syncd.sync.lookup import look_up
from syncd.sync.summary import CycleSummary
from syncd.sync.writer import write_planned
from syncd.sync.qualify import Qualifier

__all__ = ["CycleDeps", "run_cycle"]

CHUNK = 1000


@dataclass(frozen=True, kw_only=True)
class CycleDeps:
    settings: Settings
    hubspot: HubSpotSource
    crm: CrmGateway
    store: StateStore
    clock: Clock


def run_cycle(deps: CycleDeps, *, run_id: str, stop: threading.Event | None = None) -> CycleSummary:
    """Run one cycle and return its summary; connector errors propagate to the caller."""
    log = structlog.get_logger("syncd.cycle").bind(run_id=run_id)
    summary = CycleSummary(run_id=run_id)
    started = time.monotonic()
    calls_before = _calls(deps)
    _pull(deps, summary, log)
    summary.reviewed = deps.store.mark_due_for_review(deps.clock.now())
    qualifier = Qualifier(deps.settings)
    after = ""
    while not (stop and stop.is_set()):
        contacts = deps.store.pending_contacts(CHUNK, after=after)
        if not contacts:
            break
        _process(deps, qualifier, contacts, summary, run_id)
        after = contacts[-1].id
    _account(deps, summary, calls_before)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _pull(deps: CycleDeps, summary: CycleSummary, log) -> None:
    now = deps.clock.now()
    cursors = {k: v for k, v in deps.store.load_cursors().items() if not k.startswith("backfill:")}
    properties = sorted(deps.settings.fields.hubspot_properties() | Qualifier.properties(deps.settings))
    for batch in deps.hubspot.pull(cursors, properties=properties, now=now):
        summary.events += deps.store.save_pull_batch(batch, now=now)
        summary.pulled += len(batch.contacts)
        summary.merged += len(batch.merges)
        summary.deleted += len(batch.deleted)
        log.debug("pull.batch", contacts=len(batch.contacts), events=len(batch.events))


def _process(deps: CycleDeps, qualifier: Qualifier, contacts: Sequence[HubSpotContact],
             summary: CycleSummary, run_id: str) -> None:
    ids = [c.id for c in contacts]
    store, now = deps.store, deps.clock.now()
    decisions, opportunities = look_up(
        deps.crm, store, contacts, external_id_field=deps.settings.fields.salesforce.external_id_field)
    events = store.events_for(ids)
    previous = store.lifecycle_states(ids)
    written = store.record_states(ids)
    outcome: dict[str, list[dict[str, Any]]] = {k: [] for k in
                                                ("links", "written", "lifecycle", "stage_history",
                                                 "rejects", "review")}
    plans, settled = [], []
    by_id = {c.id: c for c in contacts}
    for decision in decisions:
        contact = by_id[decision.hubspot_id]
        if decision.action in ("review", "skip"):
            _park(decision, summary, outcome, settled, run_id, now)
            continue
        result = qualifier.assess(contact, decision.record, events[contact.id],
                                  previous.get(contact.id), now=now, run_id=run_id,
                                  opportunities=opportunities)
        outcome["lifecycle"].append(result.lifecycle_row)
        outcome["stage_history"].extend(result.history_rows)
        summary.stage_moves += len(result.history_rows)
        summary.stages[result.computed.values.get("stage")] += 1
        summary.intents[result.computed.values.get("intent")] += 1
        summary.matched += decision.action == "link"
        last = (written.get(contact.id) or {}).get("fields")
        plan = qualifier.plan(contact, decision.record, result.computed, last_written=last)
        if plan is None:
            summary.unchanged += 1
            settled.append(contact.id)
            if decision.record is not None and decision.matched_by != "id_map":
                # Salesforce already holds what syncd would write (a cycle that stopped
                # after writing, before committing): keep the link, or it is looked up
                # again every cycle.
                outcome["links"].append({"hubspot_id": contact.id, "sf_object": decision.record.object,
                                         "sf_id": decision.record.id,
                                         "matched_by": decision.matched_by or "email"})
        else:
            plans.append((plan, decision))
    _commit_decisions(store, outcome, now)
    try:
        write_planned(deps.crm, plans, external_id_field=deps.settings.fields.salesforce.external_id_field,
                      summary=summary, outcome=outcome, settled=settled,
                      run_id=run_id, now=now)
    finally:  # batches written before a failing one keep their links and written state
        store.record_outcome(outcome, now=now)
        store.settle(settled)


DECISIONS = ("lifecycle", "stage_history", "review")


def _commit_decisions(store: StateStore, outcome: dict[str, list[dict[str, Any]]], now) -> None:
    """Commit the engine's decisions (stages, their history, the review queue) before acting
    on Salesforce: a crash after the writes cannot then make the next cycle decide again on
    what the writes changed (say, a Lead just created with the default Status)."""
    store.record_outcome({name: outcome[name] for name in DECISIONS}, now=now)
    for name in DECISIONS:
        outcome[name] = []


def _park(decision, summary: CycleSummary, outcome, settled: list[str], run_id: str, now) -> None:
    if decision.action == "review":
        summary.review += 1
        outcome["review"].append({"hubspot_id": decision.hubspot_id, "reason": decision.reason,
                                  "candidates": list(decision.candidates)})
    else:
        summary.skipped += 1
        outcome["rejects"].append({"run_id": run_id, "hubspot_id": decision.hubspot_id,
                                   "sf_object": None, "code": "NO_EMAIL", "message": decision.reason,
                                   "at": now})
    settled.append(decision.hubspot_id)


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
