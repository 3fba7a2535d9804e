"""What a run leaves behind, and how two runs of the same seeded scenario compare.

Salesforce (from the sandbox's dump) and syncd's state store are reduced to what must not
depend on timing: people by their HubSpot id with the fields syncd writes, Tasks by their
syncd key, the id map, lifecycle stages and the stage history as a multiset. Scores decay
with the wall clock, so a score may differ by one point between two runs minutes apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

__all__ = ["Comparison", "EndState", "compare", "end_state"]

PEOPLE = ("Lead", "Contact")
COMPARED = ("Email", "FirstName", "LastName", "Title", "Company", "Phone", "Lifecycle_Stage__c",
            "Fit_Grade__c", "Buying_Intent__c", "Status", "OwnerId", "IsConverted",
            "Last_Engagement_Date__c")
SCORE = "Lead_Score__c"
HOURLY = ("Last_Engagement_Date__c",)
"""Times the sandbox stamps on drift (its clock runs from the seeded instant): equal to the
hour in two runs of one scenario."""


@dataclass
class EndState:
    people: dict[tuple[str, str], dict[str, Any]]   # (object, key) -> compared fields
    per_external_id: Counter                        # (object, HubSpot id) -> records
    counts: Counter                                 # object -> records
    tasks: Counter                                  # syncd key -> Tasks
    links: dict[str, str]                           # HubSpot id -> Salesforce object
    stages: dict[str, str]                          # HubSpot id -> lifecycle stage
    history: Counter                                # (hubspot_id, from, to, rule) -> rows
    rejects: int
    pending: int


def _people(salesforce: dict) -> tuple[dict, Counter, Counter]:
    people, per_ext, counts = {}, Counter(), Counter()
    for name in PEOPLE:
        for record in _records(salesforce, name):
            ext = record.get("HubSpot_Id__c")
            key = f"hs:{ext}" if ext else f"id:{record['Id']}"
            counts[name] += 1
            if ext:
                per_ext[(name, ext)] += 1
            people[(name, key)] = {f: _hourly(f, record.get(f)) for f in (*COMPARED, SCORE)}
    return people, per_ext, counts


def _records(salesforce: dict, name: str) -> list[dict]:
    objects = salesforce["objects"].get(name) or {}
    return list(objects.values()) if isinstance(objects, dict) else list(objects)


def end_state(dump: dict, engine: sa.Engine) -> EndState:
    """The comparable end state from ``sandbox.dump()`` and the state store's engine."""
    people, per_ext, counts = _people(dump["salesforce"])
    tasks = Counter(t.get("Syncd_Key__c") for t in _records(dump["salesforce"], "Task")
                    if t.get("Syncd_Key__c"))
    with engine.connect() as conn:
        links = dict(conn.execute(sa.text("SELECT hubspot_id, sf_object FROM id_map")).all())
        stages = dict(conn.execute(sa.text("SELECT hubspot_id, stage FROM lifecycle")).all())
        history = Counter(tuple(r) for r in conn.execute(sa.text(
            "SELECT hubspot_id, from_stage, to_stage, rule FROM stage_history")).all())
        rejects = conn.execute(sa.text("SELECT count(*) FROM rejects")).scalar_one()
        pending = conn.execute(sa.text(
            "SELECT count(*) FROM contacts WHERE pending AND NOT archived AND merged_into IS NULL")).scalar_one()
    return EndState(people=people, per_external_id=per_ext, counts=counts, tasks=tasks,
                    links=links, stages=stages, history=history, rejects=rejects, pending=pending)


@dataclass
class Comparison:
    lost: list[str] = field(default_factory=list)        # what the clean run has and this lacks
    duplicates: dict[str, int] = field(default_factory=dict)
    history_duplicates: int = 0

    @property
    def equal(self) -> bool:
        return not self.lost and not any(self.duplicates.values()) and not self.history_duplicates


def compare(clean: EndState, run: EndState) -> Comparison:
    """Lost changes, duplicate records / tasks / history rows of ``run`` against ``clean``."""
    out = Comparison()
    for key, want in clean.people.items():
        got = run.people.get(key)
        if got is None:
            out.lost.append(f"{key[0]} {key[1]} missing")
            continue
        for name in COMPARED:
            if got[name] != want[name]:
                out.lost.append(f"{key[0]} {key[1]} {name}: {got[name]!r} != {want[name]!r}")
        if not _close(got[SCORE], want[SCORE]):
            out.lost.append(f"{key[0]} {key[1]} {SCORE}: {got[SCORE]!r} != {want[SCORE]!r}")
    for name in PEOPLE:
        extra = run.counts[name] - clean.counts[name]
        same_id = sum(n - 1 for (obj, _), n in run.per_external_id.items() if obj == name and n > 1)
        out.duplicates[name] = max(extra, 0) + same_id
    out.duplicates["Task"] = max(sum(run.tasks.values()) - sum(clean.tasks.values()), 0) + sum(
        n - 1 for n in run.tasks.values() if n > 1)
    for hubspot_id, obj in clean.links.items():
        if run.links.get(hubspot_id) != obj:
            out.lost.append(f"link {hubspot_id} -> {obj} not stored")
    for hubspot_id, stage in clean.stages.items():
        if run.stages.get(hubspot_id) != stage:
            out.lost.append(f"stage of {hubspot_id}: {run.stages.get(hubspot_id)!r} != {stage!r}")
    out.history_duplicates = sum(max(n - clean.history.get(k, 0), 0) for k, n in run.history.items())
    missing_history = sum(max(n - run.history.get(k, 0), 0) for k, n in clean.history.items())
    if missing_history:
        out.lost.append(f"{missing_history} stage history row(s) missing")
    if run.pending:
        out.lost.append(f"{run.pending} contact(s) still pending")
    return out


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= 1
    return a == b


def _hourly(name: str, value: Any) -> Any:
    return value[:13] if name in HOURLY and isinstance(value, str) else value
