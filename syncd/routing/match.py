"""Does a person fall in a territory? Countries, states and segment conditions, all ANDed.

A territory with no condition at all takes everyone (a catch-all at the end of the list).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from syncd.routing.geo import state_code
from syncd.routing.schema import Condition, Territory

__all__ = ["matches", "number_range"]

_BAND = re.compile(r"^\s*([\d.,]+)\s*(?:-\s*([\d.,]+)|(\+))\s*$")


def matches(territory: Territory, *, country: str | None, state: str | None,
            attributes: Mapping[str, Any]) -> list[str] | None:
    """The facts that place the person in ``territory`` (for the reason), or None.

    ``country`` is already an alpha-2 code and ``state`` a normalised state code.
    """
    facts: list[str] = []
    if territory.countries:
        if country not in territory.countries:
            return None
        facts.append(f"country {country}")
    if territory.states:
        wanted = {state_code(c, s) for s in territory.states
                  for c in (territory.countries or (None,))}
        if state is None or state not in wanted:
            return None
        facts.append(f"state {state}")
    for condition in territory.segment:
        fact = _holds(condition, attributes.get(condition.property))
        if fact is None:
            return None
        facts.append(fact)
    return facts


def _holds(condition: Condition, value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if condition.values is not None:
        # The reason quotes the configured value, never the person's own text.
        hit = next((v for v in condition.values if v.strip().casefold() == text.casefold()),
                   None)
        return None if hit is None else f"{condition.property} {hit.strip()}"
    span = number_range(text)
    if span is None:
        return None
    lo = -math.inf if condition.min is None else condition.min
    hi = math.inf if condition.max is None else condition.max
    # A band counts only when it lies wholly inside the bounds: "50-100" is not "at least 75".
    return f"{condition.property} {text}" if lo <= span[0] and span[1] <= hi else None


def number_range(text: str) -> tuple[float, float] | None:
    """A number or a band as (low, high): "1,200" -> (1200, 1200), "100-500" -> (100, 500),
    "1000+" -> (1000, inf); None for anything else."""
    try:
        value = float(text.replace(",", ""))
        return value, value
    except ValueError:
        pass
    band = _BAND.match(text)
    if band is None:
        return None
    try:
        low = float(band.group(1).replace(",", ""))
        high = math.inf if band.group(3) else float(band.group(2).replace(",", ""))
    except ValueError:
        return None
    return (low, high) if low <= high else None
