"""The funnel from the lifecycle tables: how far contacts got, their intent, conversion.

Pure: rows in, a ``Funnel`` out. A contact "reached" a ladder stage when its current stage
or any stage it moved to is that stage or a later one, so a contact that went straight from
lead to SQL counts as having passed MQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from syncd.report.model import Funnel, FunnelStage

__all__ = ["NO_SALES_LOOP", "build_funnel", "intent_of"]

NO_SALES_LOOP = ("Time from active to first sales touch and the share followed up within the "
                 "SLA need follow-up tasks in Salesforce, which syncd does not create yet: n/a.")


def build_funnel(*, ladder: Sequence[str], labels: Mapping[str, str],
                 current: Iterable[tuple[str, str, str]],
                 moves: Iterable[tuple[str, str]], mql: str = "mql", sql: str = "sql") -> Funnel:
    """``current``: (contact, stage, intent) today; ``moves``: (contact, to_stage) in the
    window, oldest first."""
    rank = {stage: i for i, stage in enumerate(ladder)}
    best: dict[str, int] = {}
    intent: dict[str, str] = {}
    off = Counter()
    for contact, stage, contact_intent in current:
        intent[contact] = contact_intent
        if stage in rank:
            best[contact] = max(best.get(contact, -1), rank[stage])
        else:
            off[stage] += 1
    moved: dict[str, list[str]] = {}
    for contact, to_stage in moves:
        moved.setdefault(contact, []).append(to_stage)
        if to_stage in rank:
            best[contact] = max(best.get(contact, -1), rank[to_stage])
    stages = tuple(_stage(s, labels.get(s, s), rank[s], best, intent) for s in ladder)
    mql_to_sql, mql_count = _conversion(moved, rank, mql, sql)
    return Funnel(stages=stages, off_ladder=dict(sorted(off.items())),
                  intents=dict(sorted(Counter(intent.values()).items())), mql_to_sql=mql_to_sql,
                  mql_count=mql_count, notes=(NO_SALES_LOOP,))


def _stage(stage: str, label: str, rank: int, best: Mapping[str, int],
           intent: Mapping[str, str]) -> FunnelStage:
    reached = [c for c, r in best.items() if r >= rank]
    active = sum(1 for c in reached if intent.get(c) == "active")
    return FunnelStage(stage=stage, label=label, reached=len(reached), active=active,
                       passive=len(reached) - active)


def _conversion(moved: Mapping[str, list[str]], rank: Mapping[str, int], mql: str,
                sql: str) -> tuple[float | None, int]:
    """Share of the contacts that became MQL in the window and later reached SQL or beyond."""
    became_mql = [c for c, stages in moved.items() if mql in stages]
    if not became_mql or sql not in rank:
        return None, len(became_mql)
    went_on = sum(1 for c in became_mql
                  if any(rank.get(s, -1) >= rank[sql] for s in moved[c][moved[c].index(mql):]))
    return went_on / len(became_mql), len(became_mql)


def intent_of(state: Mapping[str, Any] | None) -> str:
    """A lifecycle state's intent (``passive`` when none was recorded)."""
    return str((state or {}).get("intent") or "passive")
