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

__all__ = ["compile_engagement", "compile_fit", "fingerprint", "DAY"]

DAY = 86400.0
NO_DECAY, HALF_LIFE, WINDOW = 0, 1, 2


def fingerprint(config: ScoringFile) -> str:
    """A short stable hash of the scoring model; a change forces re-scoring."""
    raw = json.dumps(config.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def _fit_test(rule: FitRule) -> Callable[[Any], bool]:
    if rule.type == "missing":
        return _blank
    if rule.type == "equals":
        want = (rule.value or "").strip().casefold()
        return lambda v: not _blank(v) and str(v).strip().casefold() == want
    if rule.type == "in":
        wanted = frozenset(x.strip().casefold() for x in rule.values or ())
        return lambda v: not _blank(v) and str(v).strip().casefold() in wanted
    if rule.type == "regex":
        search = re.compile(rule.pattern or "", re.IGNORECASE).search
        return lambda v: not _blank(v) and search(str(v)) is not None
    lo = -math.inf if rule.min is None else rule.min
    hi = math.inf if rule.max is None else rule.max

    def in_range(v: Any) -> bool:
        n = None if _blank(v) else _number(v)
        return n is not None and lo <= n <= hi
    return in_range


def compile_fit(config: ScoringFile) -> tuple[tuple, tuple]:
    """(groups, rules): groups ``(name, cap, floor)``; rules ``(test, prop, points, gi, name)``."""
    names = list(config.fit.groups)
    groups = tuple((n, g.cap, g.floor) for n, g in config.fit.groups.items())
    rules = tuple((_fit_test(r), r.property, r.points, names.index(r.group), r.name)
                  for r in config.fit.rules)
    return groups, rules


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
        checks.append(lambda a, want=rule.hand_raise_form: is_hand_raise_form(a, hand_raise) == want)
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


def compile_engagement(config: ScoringFile) -> tuple[tuple, dict]:
    """(groups, by_kind): groups ``(name, mode, param, cap, floor, half_life_s)``;
    by_kind maps an ``EngagementKind`` to ``((test, points, gi, rule_index), ...)``."""
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
    by_kind: dict[EngagementKind, list] = {}
    for i, rule in enumerate(config.engagement.rules):
        entry = (_attr_test(rule, forms), rule.points, names.index(rule.group), i)
        by_kind.setdefault(EngagementKind(rule.kind), []).append(entry)
    return tuple(groups), {k: tuple(v) for k, v in by_kind.items()}
