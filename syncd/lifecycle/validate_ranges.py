"""Numbers in ``scoring.toml`` within sensible bounds, upper ones included.

A cap below zero, a half-life of a million days or ``points = inf`` pass the type checks
but make a rule or a group do nothing useful (or everything): each is reported with its
key path and the accepted range.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["check_ranges"]

POINTS, SCORE, DAYS = (-1000, 1000), (-10_000, 10_000), (0, 3650)
# (section path, key) -> (lowest, highest, lowest excluded)
_GROUP = {"cap": (0, 10_000, False), "floor": (-10_000, 0, False),
          "half_life_days": (*DAYS, True), "window_days": (*DAYS, True)}
_RULE = {"points": (*POINTS, False), "min": (-1e12, 1e12, False), "max": (-1e12, 1e12, False),
         "min_score": (*SCORE, False), "min_engagement": (*SCORE, False),
         "inactive_days": (*DAYS, True)}
_SINGLE = {("model", "profile_max_chars"): (80, 131_072, False),
           ("model", "review_every_days"): (*DAYS, True),
           ("model", "version"): (1, 1_000_000, False),
           ("intent", "active_score"): (*SCORE, False),
           ("intent", "active_window_days"): (*DAYS, True),
           ("intent", "lapse_after_days"): (*DAYS, True)}


def _bad(value: Any, low: float, high: float, open_low: bool) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False  # the type check reports it
    if not math.isfinite(value):
        return True
    return value < low or value > high or (open_low and value == low)


def _expected(low: float, high: float, open_low: bool) -> str:
    return f"a number {'above' if open_low else 'from'} {low:g} {'and up to' if open_low else 'to'} {high:g}"


def check_ranges(data: dict[str, Any], out: Any) -> None:
    """Add an issue to ``out`` (``validate._Issues``) for every number out of its range."""
    def check(path: str, value: Any, bounds: tuple[float, float, bool]) -> None:
        if path.endswith(("half_life_days", "window_days")) and isinstance(value, int | float) \
                and value <= 0:
            return  # reported by the group check, with its own hint
        if _bad(value, *bounds):
            hint = ("a cap limits what a group can add: 0 or more" if path.endswith(".cap") else
                    "a floor limits what a group can take away: 0 or less" if path.endswith(".floor")
                    else None)
            out.add(path, "out of range", found=value, expected=_expected(*bounds), hint=hint)

    for (section, key), bounds in _SINGLE.items():
        check(f"{section}.{key}", _get(data, section).get(key), bounds)
    for section in ("fit", "engagement"):
        for name, group in _get(data, section, "groups").items():
            for key, bounds in _GROUP.items():
                check(f"{section}.groups.{name}.{key}", _as_dict(group).get(key), bounds)
        for i, rule in enumerate(_list(_get(data, section).get("rules"))):
            for key, bounds in _RULE.items():
                check(f"{section}.rules[{i}].{key}", _as_dict(rule).get(key), bounds)
    for grade, value in _get(data, "fit", "grades").items():
        check(f"fit.grades.{grade}", value, (*SCORE, False))
    for i, rule in enumerate(_list(_get(data, "stages").get("rules"))):
        for key, bounds in _RULE.items():
            check(f"stages.rules[{i}].{key}", _as_dict(rule).get(key), bounds)


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _get(data: dict, *keys: str) -> dict:
    for key in keys:
        data = _as_dict(data.get(key))
    return data
