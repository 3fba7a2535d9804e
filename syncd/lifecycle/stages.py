"""The stage machine: declared forward rules, declared backward rules, every move recorded.

A forward rule fires only when its target ranks above the current stage; when it names
no ``from`` stages it applies from any ladder stage (never from an off-ladder stage
such as recycled or disqualified, which a rule must name to leave). A backward rule
fires only from the stages it lists. Each rule fires at most once per evaluation and
no stage is entered twice in one evaluation, so the machine always stops.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from operator import attrgetter

from typing import NamedTuple

from syncd.lifecycle.compile import DAY
from syncd.lifecycle.schema import ScoringFile, StageRule
from syncd.lifecycle.state import Transition, new_transition, ymd
from syncd.models import EngagementKind

__all__ = ["StageContext", "compile_stage_rules", "fixed_key", "inactivity_after",
           "inactivity_deadline", "rules_by_stage", "run_stages", "stage_plan"]

_GRADES = {"A": 4, "B": 3, "C": 2, "D": 1}


class StageContext(NamedTuple):
    """Everything a stage condition may look at."""

    score: float
    fit_score: float
    engagement_score: float
    grade: str | None
    intent: str
    intent_event: str | None
    verdict: str | None
    facts: object
    events: tuple
    last_activity: datetime | None
    now: datetime


def _conditions(rule: StageRule) -> list:
    """``(test(ctx, since) -> bool, describe(ctx) -> str, fixed)`` for each condition set on
    the rule. ``fixed`` is None, or for a condition on the sales verdict or a CRM flag alone
    ``fixed(key) -> bool``, the same test on ``fixed_key(ctx)``."""
    out = []
    if rule.min_score is not None:
        out.append((lambda c, s, m=rule.min_score: c.score >= m,
                    lambda c, m=rule.min_score: f"score {c.score:.1f} ≥ {m:g}", None))
    if rule.min_engagement is not None:
        out.append((lambda c, s, m=rule.min_engagement: c.engagement_score >= m,
                    lambda c, m=rule.min_engagement:
                    f"engagement {c.engagement_score:.1f} ≥ {m:g}", None))
    if rule.min_grade is not None:
        out.append((lambda c, s, g=_GRADES[rule.min_grade]: _GRADES.get(c.grade or "D", 1) >= g,
                    lambda c, g=rule.min_grade: f"fit grade {c.grade} ≥ {g}", None))
    if rule.intent is not None:
        out.append((lambda c, s, i=rule.intent: c.intent == i,
                    lambda c: f"intent {c.intent}", None))
    if rule.verdict is not None:
        out.append((lambda c, s, v=frozenset(rule.verdict): c.verdict in v,
                    lambda c: f"Lead Status '{c.facts.lead_status}' means {c.verdict}",
                    lambda k, v=frozenset(rule.verdict): k[0] in v))
    if rule.not_verdict is not None:
        out.append((lambda c, s, v=frozenset(rule.not_verdict): c.verdict not in v,
                    lambda c, t=f"sales verdict is not {', '.join(rule.not_verdict)}": t,
                    lambda k, v=frozenset(rule.not_verdict): k[0] not in v))
    for i, (flag, attr, text) in enumerate(_FLAGS, 1):
        want = getattr(rule, flag)
        if want is not None:
            out.append((lambda c, s, a=attr, w=want: bool(getattr(c.facts, a)) is w,
                        lambda c, t=text if want else f"no {text}": t,
                        lambda k, i=i, w=want: k[i] is w))
    if rule.any_event is not None:
        kinds = tuple(EngagementKind(k) for k in rule.any_event)
        out.append((lambda c, s, k=frozenset(kinds): not k.isdisjoint(map(_kind, c.events)),
                    lambda c, k=frozenset(kinds): _latest_of(c.events, k), None))
    if rule.inactive_days is not None:
        out.append((lambda c, s, q=timedelta(days=rule.inactive_days): _quiet_for(c, s) >= q,
                    lambda c, d=rule.inactive_days: f"no activity for {d:g} days (last "
                    f"{ymd(c.last_activity)})" if c.last_activity else
                    f"no activity for {d:g} days", None))
    if rule.new_activity is not None:
        out.append((lambda c, s, w=rule.new_activity: _active_since(c, s) is w,
                    lambda c: f"new activity on {ymd(c.last_activity)}"
                    if c.last_activity else "no new activity", None))
    return out


_FLAGS = (("converted", "is_converted", "lead converted"),
          ("open_opportunity", "has_open_opportunity", "open opportunity"),
          ("closed_won", "has_closed_won", "closed-won opportunity"),
          ("churned", "churned", "account churned"))
_kind = attrgetter("kind")


def fixed_key(ctx: StageContext) -> tuple:
    """What the ``fixed`` conditions read: the verdict and the CRM flags as booleans."""
    f = ctx.facts
    return (ctx.verdict, bool(f.is_converted), bool(f.has_open_opportunity),
            bool(f.has_closed_won), bool(f.churned))


def _latest_of(events, kinds: frozenset) -> str:
    best = max((ev for ev in events if ev.kind in kinds), key=lambda e: (e.occurred_at, e.id))
    return f"{best.kind.value} on {ymd(best.occurred_at)} (event {best.id})"


def _ids_of(events, kinds: frozenset, limit: int = 10) -> list[str]:
    """Ids of the newest events of ``kinds`` (at most ``limit``), as transition evidence."""
    found = sorted((ev for ev in events if ev.kind in kinds),
                   key=lambda e: (e.occurred_at, e.id), reverse=True)
    return [ev.id for ev in found[:limit]]


def _active_since(c: StageContext, since: datetime | None) -> bool:
    """True when there was activity after entering the stage (None: not entered yet)."""
    return c.last_activity is not None and (since is None or c.last_activity > since)


def _quiet_for(c: StageContext, since: datetime | None) -> timedelta:
    """Time since the later of the last activity and entering the stage (None: never)."""
    marks = [t for t in (c.last_activity, since) if t is not None]
    return c.now - max(marks) if marks else timedelta(0)


def compile_stage_rules(config: ScoringFile) -> tuple:
    """``(name, to, backward, from_set|None, conditions, reason, inactive_days, event_kinds)``
    per rule; ``event_kinds`` are the ``any_event`` kinds whose events become evidence."""
    return tuple((r.name, r.to, r.backward, None if r.from_ is None else frozenset(r.from_),
                  tuple(_conditions(r)), r.reason, r.inactive_days,
                  frozenset(EngagementKind(k) for k in r.any_event or ()))
                 for r in config.stages.rules)


def _may_fire(rule: tuple, stage: str, ranks, ladder) -> bool:
    _, to, backward, sources, _, _, _, _ = rule
    if backward:
        return sources is not None and stage in sources and to != stage
    if sources is None and stage not in ladder:
        return False
    if sources is not None and stage not in sources:
        return False
    return ranks[to] > ranks[stage]


def rules_by_stage(rules: tuple, ranks, ladder) -> dict[str, tuple]:
    """For each stage, the rules that may fire from it, in declared order (precomputed so
    the machine only looks at the handful that matter)."""
    return {stage: tuple(r for r in rules if _may_fire(r, stage, ranks, ladder)) for stage in ranks}


def stage_plan(model, stage: str, key: tuple) -> tuple:
    """The rules that may fire from ``stage`` for contacts whose ``fixed_key`` is ``key``:
    those whose fixed conditions hold, in declared order, each as ``(to, tests, rule)`` with
    ``tests`` the rule's other conditions. Kept on the model: ``stage_plans[key][stage]``."""
    plans = model.stage_plans.get(key)
    if plans is None:
        plans = {}
        if len(model.stage_plans) < 1024:  # verdicts and flags are few; bounded regardless
            model.stage_plans[key] = plans
    plan = plans.get(stage)
    if plan is None:
        plan = plans[stage] = tuple(
            (rule[1], tuple(test for test, _, fixed in rule[4] if fixed is None), rule)
            for rule in model.rules_from[stage]
            if all(fixed(key) for _, _, fixed in rule[4] if fixed is not None))
    return plan


def run_stages(model, ctx: StageContext, stage: str, since: datetime | None, evidence
               ) -> tuple[str, datetime | None, tuple[Transition, ...]]:
    """Fire rules in declared order until none applies; return stage, since, transitions.
    ``since`` None means the contact has no recorded entry into ``stage`` yet;
    ``evidence()`` builds the evidence dict, only when a rule fires."""
    moves: list[Transition] = []
    visited = {stage}
    key = fixed_key(ctx)
    plans = model.stage_plans.get(key) or {}
    progressed = True
    while progressed:
        progressed = False
        plan = plans.get(stage)
        for to, tests, rule in stage_plan(model, stage, key) if plan is None else plan:
            if to in visited:
                continue
            for test in tests:
                if not test(ctx, since):
                    break
            else:
                name, _, backward, _, conds, reason, _, kinds = rule
                why = "; ".join([describe(ctx) for _, describe, _ in conds]) or "always"
                text = f"{reason}: {why}" if reason else why
                proof = evidence()
                if kinds:
                    proof["event_ids"] = sorted({*proof.get("event_ids", ()),
                                                 *_ids_of(ctx.events, kinds)})
                moves.append(new_transition(stage, to, ctx.now, name, text, proof, backward))
                visited.add(to)
                stage, since, progressed = to, ctx.now, True
                break
    return stage, since, tuple(moves)


def inactivity_after(rules: tuple) -> timedelta | None:
    """The soonest inactivity period among a stage's ``rules_from`` rules, or None."""
    times = [timedelta(seconds=days * DAY) for _, _, _, _, _, _, days, _ in rules
             if days is not None]
    return min(times) if times else None


def inactivity_deadline(model, stage: str, since: datetime, last_activity: datetime | None
                        ) -> datetime | None:
    """The earliest time an inactivity rule could fire from ``stage`` with no new events."""
    after = model.inactivity_after[stage]
    if after is None:
        return None
    return (max(last_activity, since) if last_activity else since) + after
