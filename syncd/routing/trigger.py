"""When a follow-up starts, and the follow-up task's subject.

A crossing is a move INTO the trigger: intent turning active, or the stage entering one
of ``[trigger] stages`` from a stage outside them. Moving on between trigger stages (MQL
to SQL) is not a new crossing, so a person gets one follow-up, not one per stage.
"""

from __future__ import annotations

from collections.abc import Mapping

from syncd.routing.schema import SlaSection, TriggerSection
from syncd.routing.values import SUBJECT_FIELDS

__all__ = ["SUBJECT_MAX", "crossing", "follow_up_subject"]

SUBJECT_MAX = 255
"""Salesforce's Task.Subject length."""


def crossing(trigger: TriggerSection, *, stage_before: str | None, stage: str | None,
             intent_before: str | None, intent: str | None) -> str | None:
    """Why a follow-up starts now (for the history), or None when nothing crossed."""
    stages = {s.casefold() for s in trigger.stages}
    was_in = stage_before is not None and stage_before.casefold() in stages
    if stage is not None and stage.casefold() in stages and not was_in:
        return f"stage reached {stage}"
    if trigger.intent_active and intent == "active" and intent_before != "active":
        return "intent became active"
    return None


def follow_up_subject(sla: SlaSection, values: Mapping[str, object]) -> str:
    """``sla.subject`` with its placeholders filled; a missing value reads "-", and the
    text is cut to what Salesforce accepts."""
    filled = {k: "-" if values.get(k) in (None, "") else values[k] for k in SUBJECT_FIELDS}
    text = sla.subject.format_map(filled)
    return text if len(text) <= SUBJECT_MAX else text[:SUBJECT_MAX - 1] + "…"
