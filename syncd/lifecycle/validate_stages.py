"""Cross-field checks of the ``[stages]`` section: names, ranks, portal values, thresholds."""

from __future__ import annotations

from typing import Any

from syncd.models import EngagementKind

__all__ = ["check_stages"]

KINDS = [k.value for k in EngagementKind]


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _rank(defs: dict, name: Any) -> int | None:
    rank = _dict(defs.get(name)).get("rank") if isinstance(name, str) else None
    return rank if isinstance(rank, int) else None


def check_stages(stages: dict, out, portal_stages: list[str] | None) -> None:
    """Add an issue to ``out`` for every inconsistent stage definition or rule."""
    defs = _dict(stages.get("defs"))
    known = sorted(defs)
    out.one_of("stages.initial", stages.get("initial"), known, "stage")
    ladder = _list(stages.get("ladder"))
    for i, name in enumerate(ladder):
        out.one_of(f"stages.ladder[{i}]", name, known, "stage")
    ranks = [_rank(defs, n) for n in ladder]
    for i in range(1, len(ranks)):
        if ranks[i - 1] is not None and ranks[i] is not None and ranks[i] <= ranks[i - 1]:
            out.add(f"stages.defs.{ladder[i]}.rank", "ladder ranks must increase along "
                    "stages.ladder", found=ranks[i], expected=f"above {ranks[i - 1]}")
    if portal_stages is not None:
        for name, stage in defs.items():
            out.one_of(f"stages.defs.{name}.hubspot", _dict(stage).get("hubspot"),
                       list(portal_stages), "HubSpot lifecyclestage value")
    for i, rule in enumerate(_list(stages.get("rules"))):
        _check_rule(_dict(rule), f"stages.rules[{i}]", defs, known, out)
    _check_threshold_order(_list(stages.get("rules")), defs, out)


def _check_rule(rule: dict, path: str, defs: dict, known: list[str], out) -> None:
    out.one_of(f"{path}.to", rule.get("to"), known, "stage")
    for j, name in enumerate(_list(rule.get("from"))):
        out.one_of(f"{path}.from[{j}]", name, known, "stage")
    for j, kind in enumerate(_list(rule.get("any_event"))):
        out.one_of(f"{path}.any_event[{j}]", kind, KINDS, "event kind")
    if rule.get("backward") and not rule.get("from"):
        out.add(f"{path}.from", "a backward rule must list the stages it moves back from",
                hint='e.g. from = ["sql"]')
    target = _rank(defs, rule.get("to"))
    if rule.get("backward") or target is None:
        return
    for j, name in enumerate(_list(rule.get("from"))):
        source = _rank(defs, name)
        if source is not None and source >= target:
            out.add(f"{path}.from[{j}]", f"a forward rule cannot start at '{name}': its rank is "
                    f"not below '{rule.get('to')}'", found=name,
                    hint="mark the rule backward = true or remove this stage")


def _check_threshold_order(rules: list, defs: dict, out) -> None:
    """A higher stage must never be reachable on a lower score than a lower stage."""
    seen: list[tuple[int, float, int]] = []
    for i, rule in enumerate(rules):
        rule = _dict(rule)
        rank, score = _rank(defs, rule.get("to")), rule.get("min_score")
        if rule.get("backward") or rank is None or not isinstance(score, (int, float)):
            continue
        for other_rank, other_score, j in seen:
            low_first = (rank > other_rank and score <= other_score)
            high_first = (rank < other_rank and score >= other_score)
            if low_first or high_first:
                out.add(f"stages.rules[{i}].min_score", "stage thresholds out of order: a higher "
                        "stage needs a higher score", found=score,
                        expected=f"{'above' if low_first else 'below'} {other_score} "
                                 f"(stages.rules[{j}])")
        seen.append((rank, score, i))
