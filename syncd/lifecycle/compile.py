"""Turn the validated ``scoring.toml`` into plain tuples and closures, once.

The hot loop then touches no pydantic object and allocates no dict per event.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from syncd.lifecycle.schema import EngagementRule, FitRule, ScoringFile
from syncd.models import EngagementKind

__all__ = ["compile_engagement", "compile_fit", "compile_fit_plan", "fingerprint", "DAY"]

DAY = 86400.0
NO_DECAY, HALF_LIFE, WINDOW = 0, 1, 2


def fingerprint(config: ScoringFile) -> str:
    """A short stable hash of the scoring model; a change forces re-scoring."""
    raw = json.dumps(config.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


FIT_MISSING, FIT_EQUALS, FIT_IN, FIT_REGEX, FIT_RANGE = range(5)


def _fit_arg(rule: FitRule) -> Any:
    if rule.type == "equals":
        return (rule.value or "").strip().casefold()
    if rule.type == "in":
        return frozenset(x.strip().casefold() for x in rule.values or ())
    if rule.type == "regex":
        return re.compile(rule.pattern or "", re.IGNORECASE).search
    if rule.type == "range":
        return (-math.inf if rule.min is None else rule.min,
                math.inf if rule.max is None else rule.max)
    return None


_FIT_CODES = {"missing": FIT_MISSING, "equals": FIT_EQUALS, "in": FIT_IN, "regex": FIT_REGEX,
              "range": FIT_RANGE}


def compile_fit(config: ScoringFile) -> tuple[tuple, tuple]:
    """(groups, by_property): groups ``(name, cap, floor)``; by_property
    ``((property, ((code, arg, points, gi, rule_index), ...)), ...)`` so each property is
    read and normalised once per contact."""
    names = list(config.fit.groups)
    groups = tuple((n, g.cap, g.floor) for n, g in config.fit.groups.items())
    by_prop: dict[str, list] = {}
    for i, r in enumerate(config.fit.rules):
        by_prop.setdefault(r.property, []).append(
            (_FIT_CODES[r.type], _fit_arg(r), r.points, names.index(r.group), i))
    return groups, tuple((p, tuple(rules)) for p, rules in by_prop.items())


_LISTED = (FIT_MISSING, FIT_EQUALS, FIT_IN)


def compile_fit_plan(by_prop: tuple) -> tuple:
    """``((property, table, rules), ...)`` from ``compile_fit``'s by_property. When every
    rule on a property compares the normalised value with listed values (``missing``,
    ``equals``, ``in``), ``table`` maps each value that can match to its matching rules
    ``((points, gi, rule_index), ...)`` in declared order (a value not in it matches none)
    and ``rules`` is None; otherwise ``table`` is None and ``rules`` are tested one by one."""
    plan = []
    for prop, rules in by_prop:
        if any(code not in _LISTED for code, *_ in rules):
            plan.append((prop, None, rules))
            continue
        keys = {""}
        for code, arg, *_ in rules:
            if code == FIT_EQUALS:
                keys.add(arg)
            elif code == FIT_IN:
                keys.update(arg)
        table = {}
        for key in keys:
            hits = tuple((points, gi, ri) for code, arg, points, gi, ri in rules
                         if (not key if code == FIT_MISSING else
                             key and (key == arg if code == FIT_EQUALS else key in arg)))
            if hits:
                table[key] = hits
        plan.append((prop, table, None))
    return tuple(plan)


def number(value: str) -> float | None:
    """A property value as a number (``"1,200"`` reads 1200), or None."""
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return None


def _attr_test(rule: EngagementRule, hand_raise: frozenset[str]) -> Callable | None:
    checks: list[Callable[[Mapping[str, Any]], bool]] = []
    for attr, pattern in rule.where.items():
        search = re.compile(pattern, re.IGNORECASE).search
        checks.append(lambda a, k=attr, s=search: (v := a.get(k)) is not None
                      and s(str(v)) is not None)
    for attr, values in rule.where_in.items():
        wanted = frozenset(v.casefold() for v in values)
        checks.append(lambda a, k=attr, w=wanted: str(a.get(k, "")).casefold() in w)
    if rule.hand_raise_form is not None:
        want = rule.hand_raise_form
        checks.append(lambda a: is_hand_raise_form(a, hand_raise) == want)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda a: all(c(a) for c in checks)


def is_hand_raise_form(attrs: Mapping[str, Any], forms: frozenset[str]) -> bool:
    """True when the form's id or name is one of the configured hand-raise forms."""
    for key in ("form_id", "form_name"):
        value = attrs.get(key)
        if value is not None and str(value).casefold() in forms:
            return True
    return False


HR_NEVER, HR_ALWAYS, HR_FORM = 0, 1, 2


def compile_engagement(config: ScoringFile) -> tuple[tuple, dict]:
    """(groups, by_kind): groups ``(name, mode, param, cap, floor, half_life_s)``; by_kind
    maps every ``EngagementKind`` to ``(hand_raise_mode, rules, first)``, each rule
    ``(test, points, gi, rule_index, mode, param)`` with its group's decay inlined;
    ``first`` is the first rule when it has no condition (it scores every event of the
    kind), else None."""
    names = list(config.engagement.groups)
    groups = []
    for name, g in config.engagement.groups.items():
        if g.half_life_days:
            groups.append((name, HALF_LIFE, math.log(2) / (g.half_life_days * DAY), g.cap,
                           g.floor, g.half_life_days * DAY))
        elif g.window_days:
            groups.append((name, WINDOW, g.window_days * DAY, g.cap, g.floor, None))
        else:
            groups.append((name, NO_DECAY, 0.0, g.cap, g.floor, None))
    forms = frozenset(f.casefold() for f in config.intent.hand_raise_forms)
    rules: dict[EngagementKind, list] = {k: [] for k in EngagementKind}
    for i, rule in enumerate(config.engagement.rules):
        gi = names.index(rule.group)
        rules[EngagementKind(rule.kind)].append(
            (_attr_test(rule, forms), rule.points, gi, i, groups[gi][1], groups[gi][2]))
    always = {EngagementKind(k) for k in config.intent.hand_raise_kinds}
    by_kind = {}
    for kind, entries in rules.items():
        mode = HR_ALWAYS if kind in always else (
            HR_FORM if kind is EngagementKind.FORM_SUBMISSION and forms else HR_NEVER)
        first = entries[0] if entries and entries[0][0] is None else None
        by_kind[kind] = (mode, tuple(entries), first)
    return tuple(groups), by_kind
