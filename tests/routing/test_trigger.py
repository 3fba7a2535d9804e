"""When a follow-up starts, the task subject, and the not-contacted statuses."""

from __future__ import annotations

import pytest

from syncd.routing import SlaSection, StatusSection, TriggerSection, crossing, follow_up_subject

DEFAULT = TriggerSection()

# (id, trigger, stage before, stage, intent before, intent, reason or None)
CROSSINGS = [
    ("lead to MQL", DEFAULT, "lead", "mql", "passive", "passive", "stage reached mql"),
    ("first evaluation straight to SQL", DEFAULT, None, "sql", None, "passive",
     "stage reached sql"),
    ("MQL to SQL is the same follow-up", DEFAULT, "mql", "sql", "passive", "passive", None),
    ("staying MQL", DEFAULT, "mql", "mql", "passive", "passive", None),
    ("recycled back to MQL crosses again", DEFAULT, "recycled", "mql", "passive", "passive",
     "stage reached mql"),
    ("intent turns active", DEFAULT, "lead", "lead", "passive", "active",
     "intent became active"),
    ("intent stays active", DEFAULT, "lead", "lead", "active", "active", None),
    ("intent trigger off", TriggerSection(intent_active=False), "lead", "lead", "passive",
     "active", None),
    ("stage keys in other case", TriggerSection(stages=("MQL",)), "lead", "mql", None, None,
     "stage reached mql"),
    ("no stage trigger", TriggerSection(stages=()), "lead", "mql", "passive", "passive", None),
    ("to opportunity is not listed", DEFAULT, "lead", "opportunity", None, None, None),
]


@pytest.mark.parametrize(("trigger", "before", "stage", "intent_before", "intent", "reason"),
                         [c[1:] for c in CROSSINGS], ids=[c[0] for c in CROSSINGS])
def test_crossing(trigger, before, stage, intent_before, intent, reason):
    assert crossing(trigger, stage_before=before, stage=stage, intent_before=intent_before,
                    intent=intent) == reason


def test_subject_fills_placeholders_and_marks_missing_values():
    sla = SlaSection(subject="Follow up: {name} ({company}) — {intent} intent, {stage}, "
                             "{score}/{grade}")
    text = follow_up_subject(sla, {"name": "Ana Ruiz", "intent": "active", "stage": "MQL",
                                   "score": 72, "grade": "A", "company": ""})
    assert text == "Follow up: Ana Ruiz (-) — active intent, MQL, 72/A"


def test_subject_is_cut_to_salesforce_length():
    text = follow_up_subject(SlaSection(subject="{name}"), {"name": "x" * 400})
    assert len(text) == 255 and text.endswith("…")


@pytest.mark.parametrize(("status", "untouched"), [
    ("Open - Not Contacted", True), ("open - not contacted ", True),
    ("Working - Contacted", False), (None, False),
])
def test_not_contacted_statuses(status, untouched):
    assert StatusSection().untouched(status) is untouched
