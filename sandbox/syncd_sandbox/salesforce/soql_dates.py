"""SOQL relative date literals (TODAY, LAST_N_DAYS:n, …) as inclusive day ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

__all__ = ["is_relative", "day_range", "range_test"]

_FIXED = {"TODAY": (0, 0), "YESTERDAY": (-1, -1), "TOMORROW": (1, 1)}
_WITH_N = re.compile(r"^(LAST_N_DAYS|NEXT_N_DAYS|N_DAYS_AGO|N_DAYS_FROM_NOW):(\d+)$")


def is_relative(text: str) -> bool:
    """True for the relative date literals this emulator understands."""
    upper = text.upper()
    return upper in _FIXED or _WITH_N.match(upper) is not None


def day_range(text: str, today: date) -> tuple[date, date]:
    """First and last day (inclusive) that ``text`` covers, seen from ``today`` (UTC)."""
    upper = text.upper()
    if upper in _FIXED:
        lo, hi = _FIXED[upper]
    else:
        kind, n = _WITH_N.match(upper).groups()
        n = int(n)
        # LAST_N_DAYS includes today; NEXT_N_DAYS starts tomorrow (Salesforce's definitions).
        lo, hi = {"LAST_N_DAYS": (-n, 0), "NEXT_N_DAYS": (1, n), "N_DAYS_AGO": (-n, -n),
                  "N_DAYS_FROM_NOW": (n, n)}[kind]
    return today + timedelta(days=lo), today + timedelta(days=hi)


def range_test(op: str, lo: str, hi: str) -> Callable[[object], bool]:
    """A test of a stored value against the range [lo, hi] (both as sortable text)."""
    tests = {"=": lambda v: lo <= v <= hi, "!=": lambda v: not lo <= v <= hi,
             "<": lambda v: v < lo, "<=": lambda v: v <= hi,
             ">": lambda v: v > hi, ">=": lambda v: v >= lo}
    test = tests[op]
    return lambda v: v is not None and test(v)
