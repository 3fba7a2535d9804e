"""What flows back to HubSpot: syncd's stage, intent, score and grade, sales' verdict, Lead
Status and owner, and the Salesforce side of ``two_way`` fields.

The planner compares each value with what HubSpot holds now (as pulled), so syncd's own
writes, read back by the next pull, are no news (no echo). HubSpot only moves
``lifecyclestage`` forward: a backward move is planned as a clear, then a set, sent in two
separate requests by the executor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import Any

from syncd.effects import EffectOutcome, HubSpotWrite, HubSpotWritten, Reject
from syncd.lifecycle import plan_hubspot_stage_write
from syncd.mapping import FieldMapping
from syncd.models import WriteResult
from syncd.ports import HubSpotSource
from syncd.timefmt import as_instant
from syncd.sync.plan import MISSING, same_value, transform, two_way_winner
from syncd.sync.planners import Person, PlanContext, agreed_values
from syncd.sync.qualify import Qualified

__all__ = ["HubSpotWriteExecutor", "HubSpotWritePlanner"]

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
        if person.decision.record is None:  # created this cycle: the Lead starts with the default status
            status = self.mapping.salesforce.lead_defaults.get("Status")
        else:
            status = record.get("Status") if person.decision.record.object == "Lead" else None
        verdict = values.get("verdict") if person.decision.record else (
            self.verdict_of(status) if self.verdict_of and status else values.get("verdict"))
        found = {"stage": (values.get("hubspot_stage"), "computed: lifecycle stage"),
                 "intent": (values.get("intent"), "computed: buying intent"),
                 "score": (values.get("score"), "computed: score"),
                 "grade": (values.get("grade"), "computed: fit grade"),
                 "verdict": (verdict, f"sales' verdict (Lead Status {status!r})"),
                 "lead_status": (self.mapping.hubspot.lead_status_values.get(status or ""),
                                 f"Salesforce Lead Status {status!r}"),
                 "owner": (ctx.directory.hubspot_owner_of(record.get("OwnerId")), "Salesforce record owner")}
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
class HubSpotWriteExecutor:
    """Batch updates, 100 contacts a call: first every clear, then every set."""

    hubspot: HubSpotSource
    effect_type: type = HubSpotWrite

    def execute(self, effects: Sequence[HubSpotWrite], *, run_id: str, now: datetime,
                earlier: Sequence[EffectOutcome] = ()) -> list[EffectOutcome]:
        outcomes: dict[str, EffectOutcome] = {}
        clears = [{"id": e.hubspot_id, "properties": {p: "" for p in e.clear_first}} for e in effects if e.clear_first]
        by_id = {e.hubspot_id: e for e in effects}
        if clears:
            for result in self.hubspot.update_contacts(clears):
                if not result.ok:
                    outcomes[result.key] = _failed(by_id[result.key], result, run_id, now)
        sets = [{"id": e.hubspot_id, "properties": {p: _text(v) for p, v in e.properties.items()}}
                for e in effects if e.hubspot_id not in outcomes]
        for result in self.hubspot.update_contacts(sets) if sets else []:
            effect = by_id[result.key]
            outcomes[result.key] = (EffectOutcome(effect=effect, status="applied", counts={"hubspot_updated": 1},
                                                  facts=(HubSpotWritten(hubspot_id=effect.hubspot_id,
                                                                        properties=dict(effect.properties)),))
                                    if result.ok else _failed(effect, result, run_id, now))
        return list(outcomes.values())


def _text(value: Any) -> str:
    """HubSpot takes every property value as a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _failed(effect: HubSpotWrite, result: WriteResult, run_id: str, now: datetime) -> EffectOutcome:
    if result.retriable:
        return EffectOutcome(effect=effect, status="retry", counts={"retrying": 1})
    reject = Reject(hubspot_id=effect.hubspot_id, sf_object="HubSpot contact", code=result.error_code or "ERROR",
                    message=result.message or "", run_id=run_id, at=now)
    return EffectOutcome(effect=effect, status="rejected", facts=(reject,), counts={"rejected": 1})


