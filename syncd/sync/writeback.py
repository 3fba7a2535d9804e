"""What flows back to HubSpot: syncd's stage, intent, score and grade, sales' verdict, Lead
Status and owner, and the Salesforce side of ``two_way`` fields.

The planner compares each value with what HubSpot holds now (as pulled, plus what syncd
wrote since), so syncd's own writes are no news (no echo). The writes wait in the store's
outbox with their chunk and are sent once per cycle in full batches of 100. HubSpot only
moves ``lifecyclestage`` forward: a backward move is planned as a clear, then a set, sent in
two separate requests.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from syncd.effects import ChunkResult, EffectOutcome, HubSpotQueued, HubSpotSent, HubSpotWrite, HubSpotWritten, Reject
from syncd.lifecycle import plan_hubspot_stage_write
from syncd.mapping import FieldMapping
from syncd.models import WriteResult, hubspot_text
from syncd.ports import HubSpotSource
from syncd.timefmt import as_instant
from syncd.sync.plan import MISSING, same_value, transform, two_way_winner
from syncd.sync.planners import Person, PlanContext, agreed_values, carried_status
from syncd.sync.qualify import Qualified
from syncd.sync.stages import Tally

__all__ = ["HubSpotFlushStep", "HubSpotQueueExecutor", "HubSpotWritePlanner", "StreamedFlush", "flush_hubspot_outbox"]

STAGE = "lifecyclestage"


@dataclass(frozen=True, slots=True)
class HubSpotWritePlanner:
    mapping: FieldMapping
    stage_order: tuple[str, ...]  # the portal's lifecyclestage options, earliest first
    verdict_of: Callable[[str], str | None] | None = None  # scoring.toml's Lead Status → verdict

    def plan(self, person: Person, qualified: Qualified, ctx: PlanContext) -> Sequence[HubSpotWrite]:
        desired, why = self._desired(person, qualified, ctx)
        current = person.contact.properties
        changes = {p: v for p, v in desired.items() if v is not None and not same_value(current.get(p), v)}
        if not changes:
            return ()
        clear = ()
        if STAGE in changes and changes[STAGE] in self.stage_order and \
                len(plan_hubspot_stage_write(current.get(STAGE), changes[STAGE], self.stage_order)) == 2:
            clear = (STAGE,)
        return (HubSpotWrite(hubspot_id=person.id, properties=changes, clear_first=clear,
                             old={p: current.get(p) for p in changes}, why={p: why[p] for p in changes}),)

    def _desired(self, person: Person, qualified: Qualified, ctx: PlanContext) -> tuple[dict, dict]:
        names, values = self.mapping.hubspot.properties(), qualified.computed.values
        record = person.decision.record.fields if person.decision.record else {}
        if person.decision.record is None:  # created this cycle: the Lead starts with the status carried
            # over from HubSpot's lead status, else the default one
            status = (carried_status(person, self.mapping, self.verdict_of)
                      or self.mapping.salesforce.lead_defaults.get("Status"))
        else:
            status = record.get("Status") if person.decision.record.object == "Lead" else None
        verdict = values.get("verdict") if person.decision.record else (
            self.verdict_of(status) if self.verdict_of and status else values.get("verdict"))
        owner, owner_why = record.get("OwnerId"), "Salesforce record owner"
        if qualified.assignment is not None:  # routing gives the record this owner in the same cycle
            owner, owner_why = qualified.assignment.owner_id, f"routing {qualified.assignment.rule}"
        found = {"stage": (values.get("hubspot_stage"), "computed: lifecycle stage"),
                 "intent": (values.get("intent"), "computed: buying intent"),
                 "score": (values.get("score"), "computed: score"),
                 "grade": (values.get("grade"), "computed: fit grade"),
                 "verdict": (verdict, f"sales' verdict (Lead Status {status!r})"),
                 "lead_status": (self.mapping.hubspot.lead_status_values.get(status or ""),
                                 f"Salesforce Lead Status {status!r}"),
                 "owner": (ctx.directory.hubspot_owner_of(owner), owner_why)}
        desired = {names[k]: v for k, (v, _) in found.items() if k in names}
        why = {names[k]: r for k, (_, r) in found.items() if k in names}
        for prop, value, reason in self._two_way(person):
            desired[prop], why[prop] = value, reason
        return desired, why

    def _two_way(self, person: Person) -> list[tuple[str, Any, str]]:
        record = person.decision.record
        if record is None:
            return []
        out, agreed = [], agreed_values(person, self.mapping)
        for rule in self.mapping.fields:
            target = rule.target(record.object)
            if rule.rule != "two_way" or not target:
                continue
            hs_value = transform(rule.transform, person.contact.properties.get(rule.hubspot),
                                 region=self.mapping.salesforce.default_phone_region)
            winner = two_way_winner(hs_value, record.fields.get(target), agreed.get(target, MISSING),
                                    hs_time=person.contact.updated_at,
                                    sf_time=as_instant(record.fields.get("LastModifiedDate")))
            if winner == "salesforce" and not (rule.blank_overwrites is False and record.fields.get(target) in (None, "")):
                out.append((rule.hubspot, record.fields.get(target),
                            f"two_way: Salesforce {record.object}.{target} changed last"))
        return out


@dataclass(frozen=True, slots=True)
class HubSpotQueueExecutor:
    """HubSpot writes go to the outbox with their chunk; ``HubSpotFlushStep`` sends them."""

    effect_type: type = HubSpotWrite

    def execute(self, effects: Sequence[HubSpotWrite], *, run_id: str, now: datetime,
                earlier: Sequence[EffectOutcome] = ()) -> list[EffectOutcome]:
        return [EffectOutcome(effect=e, status="applied", counts={"hubspot_queued": 1},
                              facts=(HubSpotQueued(write=e),)) for e in effects]


@dataclass(frozen=True, slots=True)
class HubSpotFlushStep:
    """Send the outbox once the cycle's chunks are done, in full batches of 100 contacts:
    first every clear request (a backward ``lifecyclestage`` move), then every set. Each
    batch's results are committed as soon as HubSpot answers; what is left (the API busy, a
    failure, a crash) is sent by the next cycle, with the same values."""

    page: int = 2000
    after_failure: bool = True  # a failed chunk does not hold back what earlier chunks queued

    def run(self, deps: Any, summary: Any, *, now: datetime, run_id: str) -> None:
        flush_hubspot_outbox(deps.hubspot, deps.store, summary, now=now, run_id=run_id, page=self.page)

    def alongside(self, deps: Any, summary: Any, *, run_id: str) -> StreamedFlush:
        """Full batches sent while the chunks run (the cycle's pipeline); this step sends the rest."""
        return StreamedFlush(deps.hubspot, deps.store, summary, run_id=run_id)


class StreamedFlush:
    """The cycle's HubSpot writes sent while later chunks are worked on: once a chunk is
    committed, its queued writes join the line, and every full batch of 100 goes to a worker
    thread that makes the call; the answers are committed on the cycle's thread (the store
    stays on one thread) after the next chunk, or at ``finish``. Clear requests (a backward
    stage move) stand at the front of the line; a contact's set joins it once its clear's
    answer is committed, so the two always travel in separate requests, the clear first.
    ``finish`` commits the answers of the batches in the air; what is still in line (a batch
    or two) stays in the outbox for ``HubSpotFlushStep``. A failed call stops the streaming;
    the step meets the failure again and reports it."""

    def __init__(self, hubspot: HubSpotSource, store: Any, summary: Any, *, run_id: str) -> None:
        self.hubspot, self.store, self.summary, self.run_id = hubspot, store, summary, run_id
        self._clears: list[HubSpotWrite] = []
        self._sets: list[HubSpotWrite] = []
        self._todo: queue.Queue = queue.Queue()
        self._done: queue.Queue = queue.Queue()
        self._flying, self.failed = 0, None
        context = contextvars.copy_context()
        self._worker = threading.Thread(target=context.run, args=(self._send_loop,), daemon=True,
                                        name="syncd-hubspot-writes")
        self._worker.start()

    def chunk_committed(self, result: ChunkResult, *, now: datetime) -> None:
        self._collect(now, wait=False)
        for fact in result.facts:
            if isinstance(fact, HubSpotQueued):
                (self._clears if fact.write.clear_first else self._sets).append(fact.write)
        self._launch()

    def finish(self, *, now: datetime) -> None:
        """Commit the answers of the batches in the air, then stop the worker."""
        try:
            while self._flying:
                self._collect(now, wait=True)
        finally:
            self._todo.put(None)
            self._worker.join()

    def _launch(self) -> None:
        # a batch's worth stays in line: the cycle's last clears then find sets to fill their
        # request, and the whole write-back takes no more requests than sent at the end at once
        while self.failed is None and len(self._clears) + len(self._sets) >= 2 * BATCH:
            clears, self._clears = self._clears[:BATCH], self._clears[BATCH:]
            room = BATCH - len(clears)
            sets, self._sets = self._sets[:room], self._sets[room:]
            self._todo.put([(w, True) for w in clears] + [(w, False) for w in sets])
            self._flying += 1

    def _collect(self, now: datetime, *, wait: bool) -> None:
        while self._flying:
            try:
                batch, answer = self._done.get(block=wait)
            except queue.Empty:
                return
            self._flying -= 1
            if isinstance(answer, BaseException):
                self.failed = self.failed or answer
                continue
            facts, counts = _answered(batch, answer, run_id=self.run_id, now=now)
            _commit(self.store, facts, counts, self.summary, now)
            cleared = {f.hubspot_id for f in facts if isinstance(f, HubSpotSent) and f.cleared}
            self._sets += [w for w, clear in batch if clear and w.hubspot_id in cleared]
            self._launch()

    def _send_loop(self) -> None:
        while (batch := self._todo.get()) is not None:
            if self.failed is not None:
                self._done.put((batch, self.failed))
                continue
            try:
                self._done.put((batch, list(self.hubspot.update_contacts(_rows(batch)))))
            except BaseException as exc:  # noqa: BLE001 — handed to the cycle's thread
                self._done.put((batch, exc))


def flush_hubspot_outbox(hubspot: HubSpotSource, store: Any, summary: Any, *, now: datetime, run_id: str,
                         page: int = 2000) -> None:
    """Every clear request first, the last batch of clears filled up with sets of writes
    that need none; then the sets, all in batches of 100 (a contact's clear and its set
    always travel in separate requests, the clear first)."""
    after = filler_after = ""
    while clears := store.hubspot_outbox(after=after, limit=page, clears=True):
        for start in range(0, len(clears), BATCH):
            batch = [(w, True) for w in clears[start:start + BATCH]]
            if len(batch) < BATCH:
                filler = store.hubspot_outbox(after=filler_after, limit=BATCH - len(batch), clears=False)
                batch += [(w, False) for w in filler]
                filler_after = filler[-1].hubspot_id if filler else filler_after
            _send(hubspot, store, summary, batch, now=now, run_id=run_id)
        after = clears[-1].hubspot_id
    after = ""
    while ready := store.hubspot_outbox(after=after, limit=page, clears=False):
        for start in range(0, len(ready), BATCH):
            _send(hubspot, store, summary, [(w, False) for w in ready[start:start + BATCH]], now=now, run_id=run_id)
        after = ready[-1].hubspot_id


BATCH = 100


def _send(hubspot: HubSpotSource, store: Any, summary: Any, batch: Sequence[tuple[HubSpotWrite, bool]], *,
          now: datetime, run_id: str) -> None:
    """One batch update (``(write, clear)`` pairs: its clear request, or its set) and its
    results committed at once."""
    facts, counts = _answered(batch, hubspot.update_contacts(_rows(batch)), run_id=run_id, now=now)
    _commit(store, facts, counts, summary, now)


def _rows(batch: Sequence[tuple[HubSpotWrite, bool]]) -> list[dict[str, Any]]:
    return [{"id": w.hubspot_id, "properties": {p: "" for p in w.clear_first} if clear else
             {p: hubspot_text(v) for p, v in w.properties.items()}} for w, clear in batch]


def _answered(batch: Sequence[tuple[HubSpotWrite, bool]], results: Iterable[WriteResult], *, run_id: str,
              now: datetime) -> tuple[list[Any], dict[str, int]]:
    """The facts and counts of a batch's answers."""
    by_id = {w.hubspot_id: (w, clear) for w, clear in batch}
    facts: list[Any] = []
    counts: dict[str, int] = {}
    for result in results:
        if result.key not in by_id:
            continue
        write, clear = by_id[result.key]
        if result.ok:
            facts.append(HubSpotSent(hubspot_id=write.hubspot_id, cleared=clear))
            if clear:
                counts["hubspot_cleared"] = counts.get("hubspot_cleared", 0) + 1
            else:
                facts.append(HubSpotWritten(hubspot_id=write.hubspot_id, properties=dict(write.properties)))
                counts["hubspot_updated"] = counts.get("hubspot_updated", 0) + 1
        elif result.retriable:
            counts["hubspot_retrying"] = counts.get("hubspot_retrying", 0) + 1
        else:
            facts += [Reject(hubspot_id=write.hubspot_id, sf_object="HubSpot contact",
                             code=result.error_code or "ERROR", message=result.message or "", run_id=run_id, at=now),
                      HubSpotSent(hubspot_id=write.hubspot_id)]
            counts["rejected"] = counts.get("rejected", 0) + 1
    return facts, counts


def _commit(store: Any, facts: list[Any], counts: dict[str, int], summary: Any, now: datetime) -> None:
    if facts:
        store.commit_chunk(ChunkResult(facts=tuple(facts), settled=()), now=now)
    summary.absorb(Tally(counts=counts, stages={}, intents={}))
