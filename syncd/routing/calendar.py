"""Business hours of the SLA calendar: when a follow-up falls due, and how late it is.

Working hours are wall-clock times in the calendar's time zone, so a day keeps its
09:00-17:00 across a DST change; each day's window is turned into real instants, and
durations are measured between instants (a window spanning a DST change is an hour
shorter or longer, as the clock on the office wall says). Pure: no clock; aware
datetimes in, UTC out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from syncd.routing.schema import WEEKDAYS, SlaSection
from syncd.routing.values import minutes

__all__ = ["business_hours_between", "due_at", "is_working_day"]

# Far beyond any SLA: only a calendar of a few minutes a week could run out.
_MAX_DAYS = 366 * 30


def due_at(sla: SlaSection, start: datetime) -> datetime:
    """``start`` plus ``sla.hours`` of business time, in UTC. A start outside working hours
    counts from the next opening; zero hours gives that opening (or ``start`` itself when
    the office is open)."""
    start, remaining = _aware(start, "start"), timedelta(hours=sla.hours)
    for opens, closes in _windows(sla, start):
        begin = max(start, opens)
        if begin >= closes:
            continue
        if remaining <= closes - begin:
            return (begin + remaining).astimezone(UTC)
        remaining -= closes - begin
    raise ValueError(f"the SLA calendar has fewer than {sla.hours} working hours in "
                     f"{_MAX_DAYS // 366} years")


def business_hours_between(sla: SlaSection, a: datetime, b: datetime) -> float:
    """Business hours from ``a`` to ``b`` (negative when ``b`` is earlier): how late a
    follow-up is past its due time, or how long sales took."""
    a, b = _aware(a, "a"), _aware(b, "b")
    if b < a:
        return -business_hours_between(sla, b, a)
    total = timedelta()
    for opens, closes in _windows(sla, a):
        if opens >= b:
            break
        total += max(timedelta(), min(closes, b) - max(opens, a))
    return total.total_seconds() / 3600


def is_working_day(sla: SlaSection, day: date) -> bool:
    """A listed weekday that is neither a public holiday nor an extra holiday."""
    if WEEKDAYS[day.weekday()] not in sla.days or day in sla.holidays:
        return False
    if sla.holidays_country is None:
        return True
    return day not in _public_holidays(sla.holidays_country, sla.holidays_subdivision, day.year)


def _windows(sla: SlaSection, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows (opens, closes) as aware instants, from ``start``'s local day on."""
    zone = ZoneInfo(sla.timezone)
    first = start.astimezone(zone).date()
    opens_at, closes_at = minutes(sla.start), minutes(sla.end)
    for offset in range(_MAX_DAYS):
        day = first + timedelta(days=offset)
        if is_working_day(sla, day):
            yield _instant(day, opens_at, zone), _instant(day, closes_at, zone)


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    # "24:00" is the next day's midnight. A wall time that a DST change skips reads with
    # the offset before the change (zoneinfo's fold=0).
    day, minute = (day + timedelta(days=1), 0) if minute == 1440 else (day, minute)
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


@lru_cache(maxsize=256)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _aware(value: datetime, name: str) -> datetime:
    # In UTC, adding a timedelta adds real time; in a zone it would add wall-clock time.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)
