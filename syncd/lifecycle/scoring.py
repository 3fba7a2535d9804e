"""Fit and engagement scores: the hot loop.

Plain tuples, local variables and one ``math.exp`` per matched event keep 1,000,000
events in a few seconds. Pass ``record`` (a list) to also collect the per-rule and
per-event detail the explanation shows; the sums are the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import exp, inf

from typing import Any, NamedTuple

from syncd.lifecycle.compile import (FIT_EQUALS, FIT_IN, FIT_MISSING, FIT_REGEX, HALF_LIFE,
                                     HR_ALWAYS, HR_FORM, WINDOW, is_hand_raise_form, number)
from syncd.models import EngagementEvent

__all__ = ["EngagementTotals", "clamp", "engagement_totals", "fit_totals", "shortest_half_life"]


def clamp(value: float, floor: float | None, cap: float | None) -> float:
    """Apply a group's floor and cap."""
    if cap is not None and value > cap:
        return cap
    if floor is not None and value < floor:
        return floor
    return value


def fit_totals(model, properties: Mapping[str, str | None], record: list | None = None
               ) -> tuple[float, list[float]]:
    """(fit score, raw sum per group); each matching rule adds its points to its group.
    Rules on a blank property never match, except ``missing`` rules."""
    sums = [0.0] * len(model.fit_groups)
    get = properties.get
    for prop, table, rules in model.fit_plan:
        raw = get(prop)
        if raw is None:
            value = folded = ""
        else:
            value = raw if type(raw) is str else str(raw)
            folded = value.strip().casefold()
        if table is not None:  # listed values only: one lookup finds every matching rule
            hits = table.get(folded)
            if hits is not None:
                for points, gi, ri in hits:
                    sums[gi] += points
                    if record is not None:
                        record.append((ri, gi, prop, raw, points))
            continue
        for code, arg, points, gi, ri in rules:
            if code == FIT_MISSING:
                if folded:
                    continue
            elif not folded:
                continue
            elif code == FIT_IN:
                if folded not in arg:
                    continue
            elif code == FIT_REGEX:
                if arg(value) is None:
                    continue
            elif code == FIT_EQUALS:
                if folded != arg:
                    continue
            else:
                n = number(folded)
                if n is None or not arg[0] <= n <= arg[1]:
                    continue
            sums[gi] += points
            if record is not None:
                record.append((ri, gi, prop, raw, points))
    return _capped(model.fit_limits, sums), sums


class EngagementTotals(NamedTuple):
    """Engagement sums at ``now``: overall and within the intent window, per group, plus
    the newest hand-raise event and the times the re-check schedule needs."""

    score: float
    recent: float
    raw: tuple[float, ...]
    last_activity_ts: float | None
    last_event_ts: float | None
    oldest_recent_ts: float | None
    next_expiry_ts: float | None
    hand_raise: EngagementEvent | None


def engagement_totals(model, events: Sequence[EngagementEvent], now_ts: float,
                      window_s: float, record: list | None = None) -> EngagementTotals:
    """Score ``events`` at ``now_ts``: first matching rule per event, decayed per group."""
    groups, by_kind, forms, hr_attrs, hr_keys = (
        model.eng_groups, model.eng_by_kind, model.hand_raise_forms, model.hand_raise_attrs,
        model.hand_raise_keys)
    sums, recent = [0.0] * len(groups), [0.0] * len(groups)
    last_act = last_ev = hand_ts = -inf
    oldest = expiry = inf
    hand = hand_id = None
    for ev in events:
        ts = ev.occurred_at.timestamp()
        if ts > last_ev:
            last_ev = ts
        hr_mode, rules, only = by_kind[ev.kind]
        attrs = ev.attributes
        # The newest hand-raise wins (ties by id): an older event need not be checked.
        if ts >= hand_ts:
            if hr_mode == HR_ALWAYS or (hr_mode == HR_FORM and is_hand_raise_form(attrs, forms)):
                raised = True
            else:
                raised = False
                if attrs:
                    for key in hr_keys:
                        if key in attrs:
                            raised = _raised_by(attrs, hr_attrs)
                            break
            if raised and (hand is None or ts > hand_ts or ev.id > hand_id):
                hand, hand_ts, hand_id = ev, ts, ev.id
        if only is not None:  # the kind's first rule has no condition
            _, points, gi, ri, mode, param = only
        else:
            for test, points, gi, ri, mode, param in rules:
                if test is None or test(attrs):
                    break
            else:
                continue
        age = now_ts - ts if ts < now_ts else 0.0  # meetings booked ahead count as now
        if mode == HALF_LIFE:
            factor = exp(-param * age)
        elif mode == WINDOW:
            factor = 1.0 if age <= param else 0.0
            if factor and ts + param < expiry:
                expiry = ts + param
        else:
            factor = 1.0
        value = points * factor
        sums[gi] += value
        if age <= window_s:
            recent[gi] += value
            if points > 0 and ts < oldest:
                oldest = ts
        if points > 0 and ts > last_act:
            last_act = ts
        if record is not None:
            record.append((ev, ri, groups[gi][0], points, factor, value))
    score = recent_score = 0.0
    for (cap, floor), raw, near in zip(model.eng_limits, sums, recent):  # as _capped
        if cap is not None and raw > cap:
            raw = cap
        elif floor is not None and raw < floor:
            raw = floor
        if cap is not None and near > cap:
            near = cap
        elif floor is not None and near < floor:
            near = floor
        score += raw
        recent_score += near
    return EngagementTotals(score, recent_score, tuple(sums),
                            None if last_act == -inf else last_act,
                            None if last_ev == -inf else last_ev,
                            None if oldest == inf else oldest,
                            None if expiry == inf else expiry, hand)


def _raised_by(attrs: Mapping[str, Any], hr_attrs: tuple) -> bool:
    """True when an attribute holds one of its hand-raise values (e.g. direction)."""
    for key, values in hr_attrs:
        value = attrs.get(key)
        if value is not None and str(value).casefold() in values:
            return True
    return False


def _capped(limits: tuple, sums: list[float]) -> float:
    """The sum over groups, each raw sum held within its group's ``(cap, floor)``."""
    total = 0.0
    for (cap, floor), raw in zip(limits, sums):
        if cap is not None and raw > cap:
            raw = cap
        elif floor is not None and raw < floor:
            raw = floor
        total += raw
    return total


def shortest_half_life(model) -> float:
    """The fastest decay of any group, in seconds (inf when nothing decays)."""
    lives = [g[5] for g in model.eng_groups if g[5]]
    return min(lives) if lives else inf
