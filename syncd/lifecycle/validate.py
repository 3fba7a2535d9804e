"""Cross-field checks of ``scoring.toml`` on the raw TOML dict.

They run on the raw dict, not on the validated model, so a typo in one place does not
hide a bad regex in another: the loader reports every problem in one go.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from syncd.errors import ConfigIssue
from syncd.issues import IssueCollector
from syncd.models import EngagementKind

__all__ = ["cross_check"]

KINDS = [k.value for k in EngagementKind]
_FIT_NEEDS = {"equals": ("value",), "in": ("values",), "regex": ("pattern",)}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


class _Issues(IssueCollector):
    def regex(self, path: str, pattern: Any) -> None:
        if not isinstance(pattern, str):
            return
        try:
            re.compile(pattern)
        except re.error as exc:
            self.add(path, f"regular expression does not compile: {exc}", found=pattern,
                     hint="escape special characters such as . ? ( with a backslash")


def cross_check(data: dict[str, Any], *, file: str,
                portal_stages: list[str] | None) -> list[ConfigIssue]:
    """Every problem the field types alone cannot see, each with its key path."""
    from syncd.lifecycle.validate_ranges import check_ranges

    out = _Issues(file)
    check_ranges(data, out)
    _check_fit(_dict(data.get("fit")), out)
    _check_engagement(_dict(data.get("engagement")), out)
    _check_intent(_dict(data.get("intent")), out)
    _check_stages(_dict(data.get("stages")), out, portal_stages)
    _check_lead_status(_dict(data.get("lead_status")), out)
    return out.items


def _check_lead_status(statuses: dict, out: _Issues) -> None:
    """Statuses match case-insensitively, so two spellings must not disagree."""
    seen: dict[str, tuple[str, object]] = {}
    for status, verdict in statuses.items():
        key = status.strip().casefold()
        if key in seen and seen[key][1] != verdict:
            out.add(f"lead_status.{status}", f"same status as '{seen[key][0]}' (case is ignored) "
                    "but a different verdict", found=verdict, expected=repr(seen[key][1]))
        seen.setdefault(key, (status, verdict))


def _check_groups(groups: dict, where: str, out: _Issues) -> None:
    for name, group in groups.items():
        group = _dict(group)
        for key in ("half_life_days", "window_days"):
            value = group.get(key)
            if isinstance(value, (int, float)) and value <= 0:  # (also out of range, below)
                out.add(f"{where}.groups.{name}.{key}", "must be greater than 0", found=value,
                        hint="leave it out for no decay")
        if group.get("half_life_days") is not None and group.get("window_days") is not None:
            out.add(f"{where}.groups.{name}", "set half_life_days or window_days, not both")
        cap, floor = group.get("cap"), group.get("floor")
        if isinstance(cap, (int, float)) and isinstance(floor, (int, float)) and floor > cap:
            out.add(f"{where}.groups.{name}.floor", "floor is above cap", found=floor,
                    expected=f"at most {cap}")


def _check_fit(fit: dict, out: _Issues) -> None:
    groups = _dict(fit.get("groups"))
    _check_groups(groups, "fit", out)
    for i, rule in enumerate(_list(fit.get("rules"))):
        rule, path = _dict(rule), f"fit.rules[{i}]"
        out.one_of(f"{path}.group", rule.get("group"), sorted(groups), "group")
        for key in _FIT_NEEDS.get(rule.get("type"), ()):
            if rule.get(key) is None:
                out.add(f"{path}.{key}", f"a '{rule['type']}' rule needs '{key}'")
        if rule.get("type") == "range":
            lo, hi = rule.get("min"), rule.get("max")
            if lo is None and hi is None:
                out.add(f"{path}.min", "a 'range' rule needs 'min', 'max' or both")
            elif isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
                out.add(f"{path}.max", "max is below min", found=hi, expected=f"at least {lo}")
        out.regex(f"{path}.pattern", rule.get("pattern"))
    grades = _dict(fit.get("grades"))
    ordered = [(g, grades[g]) for g in ("A", "B", "C") if isinstance(grades.get(g), (int, float))]
    for (hi_name, hi), (lo_name, lo) in zip(ordered, ordered[1:]):
        if not hi > lo:
            out.add(f"fit.grades.{lo_name}", f"grade thresholds out of order: {hi_name} must be "
                    f"above {lo_name}", found=lo, expected=f"below {hi}")


def _check_engagement(eng: dict, out: _Issues) -> None:
    groups = _dict(eng.get("groups"))
    _check_groups(groups, "engagement", out)
    for i, rule in enumerate(_list(eng.get("rules"))):
        rule, path = _dict(rule), f"engagement.rules[{i}]"
        out.one_of(f"{path}.kind", rule.get("kind"), KINDS, "event kind")
        out.one_of(f"{path}.group", rule.get("group"), sorted(groups), "group")
        for attr, pattern in _dict(rule.get("where")).items():
            out.regex(f"{path}.where.{attr}", pattern)


def _check_intent(intent: dict, out: _Issues) -> None:
    for i, kind in enumerate(_list(intent.get("hand_raise_kinds"))):
        out.one_of(f"intent.hand_raise_kinds[{i}]", kind, KINDS, "event kind")


def _check_stages(stages: dict, out: _Issues, portal_stages: list[str] | None) -> None:
    from syncd.lifecycle.validate_stages import check_stages

    check_stages(stages, out, portal_stages)
