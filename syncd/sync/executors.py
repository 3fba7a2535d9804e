"""Executors: carry out one kind of effect in its system, in batches, through a port.

Each turns the system's per-row results into ``EffectOutcome`` values (applied, rejected
with its reason, or to retry) carrying the facts the state store keeps. Adding an effect
kind means adding an executor for it; the others do not change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import structlog

from syncd.effects import EffectOutcome, Link, MirrorPatch, MirrorStale, RecordWrite, Reject, Written
from syncd.models import WriteResult
from syncd.ports import CrmGateway, RecordBatch
from syncd.sync.match import canonical_email

__all__ = ["Executor", "PartialWrite", "RecordExecutor", "STALE_MIRROR"]

log = structlog.get_logger("syncd.writer")

STALE_MIRROR = frozenset({"ENTITY_IS_DELETED", "CANNOT_UPDATE_CONVERTED_LEAD"})
"""Answers to an update that mean the mirrored record is no longer what the mirror says."""


class PartialWrite(Exception):
    """An executor stopped by a failure after some of its batches went through: ``outcomes``
    are theirs (kept, so records already written stay linked), ``cause`` ends the cycle."""

    def __init__(self, outcomes: Sequence[EffectOutcome], cause: BaseException) -> None:
        super().__init__(str(cause))
        self.outcomes, self.cause = list(outcomes), cause


class Executor(Protocol):
    effect_type: type

    def execute(self, effects: Sequence, *, run_id: str, now: datetime,
                earlier: Sequence[EffectOutcome] = ()) -> list[EffectOutcome]:
        """One outcome per effect, in any order; ``earlier`` holds what the executors before
        this one achieved in the same chunk (e.g. the record a task belongs to)."""
        ...


@dataclass(frozen=True, slots=True)
class RecordExecutor:
    """Salesforce Lead/Contact writes: updates by id, upserts on the external id, grouped by
    object and mode and handed to the gateway together (it packs them into shared Composite
    calls of Collections, or Bulk 2.0)."""

    crm: CrmGateway
    external_id_field: str
    effect_type: type = RecordWrite

    def execute(self, effects: Sequence[RecordWrite], *, run_id: str, now: datetime,
                earlier: Sequence[EffectOutcome] = ()) -> list[EffectOutcome]:
        groups: dict[tuple[str, str], list[RecordWrite]] = defaultdict(list)
        for write in effects:
            groups[(write.object_name, write.mode)].append(write)
        ordered = sorted(groups.items())
        batches = [RecordBatch(object_name, "update", "Id", [{"Id": w.record_id, **w.fields} for w in group])
                   if mode == "update" else
                   RecordBatch(object_name, "upsert", self.external_id_field, [dict(w.fields) for w in group])
                   for (object_name, mode), group in ordered]
        answered = self.crm.write_records(batches)  # a failure here wrote nothing this chunk can name
        return [_outcome(w, r, run_id, now, self.external_id_field)
                for (_, group), results in zip(ordered, answered, strict=True)
                for w, r in zip(group, results, strict=True)]


_NEW_RECORD = {"Lead": {"IsDeleted": False, "IsConverted": False}, "Contact": {"IsDeleted": False}}
"""What Salesforce holds in a record syncd just created, beyond what syncd wrote: the feed's
next read of it then finds nothing new there."""


def _outcome(write: RecordWrite, result: WriteResult, run_id: str, now: datetime,
             external_id_field: str) -> EffectOutcome:
    if result.ok:
        record_id = result.id or write.record_id
        created = result.created or write.matched_by is None
        facts = (Link(hubspot_id=write.hubspot_id, sf_object=write.object_name, sf_id=record_id,
                      matched_by=write.matched_by or "created"),
                 Written(hubspot_id=write.hubspot_id, sf_object=write.object_name, sf_id=record_id,
                         digest=write.digest, fields=dict(write.desired)),
                 MirrorPatch(sf_id=record_id, sf_object=write.object_name,
                             fields={**(_NEW_RECORD.get(write.object_name, {}) if result.created else {}), **write.fields},
                             email_key=canonical_email(write.fields.get("Email")),
                             external_id=write.fields.get(external_id_field)))
        return EffectOutcome(effect=write, status="applied", facts=facts,
                             counts={"created" if created else "updated": 1})
    if write.record_id and result.error_code in STALE_MIRROR:
        # The mirror held the record as live and writable: forget it and look again next cycle.
        stale = MirrorStale(sf_id=write.record_id, reason=result.error_code)
        return EffectOutcome(effect=write, status="retry", facts=(stale,), counts={"stale_records": 1})
    if result.retriable:  # stays pending: the next cycle sends it again
        log.warning("row.deferred", hubspot_id=write.hubspot_id, sf_object=write.object_name,
                    code=result.error_code, reason=result.message)
        return EffectOutcome(effect=write, status="retry", counts={"retrying": 1})
    log.warning("row.rejected", hubspot_id=write.hubspot_id, sf_object=write.object_name,
                code=result.error_code, reason=result.message)
    reject = Reject(hubspot_id=write.hubspot_id, sf_object=write.object_name, code=result.error_code or "ERROR",
                    message=result.message or "", run_id=run_id, at=now)
    return EffectOutcome(effect=write, status="rejected", facts=(reject,), counts={"rejected": 1})
