"""Business hours: due times and hours between two instants, table by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.routing import SlaSection, business_hours_between, due_at, is_working_day
from syncd.routing.values import minutes

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = SlaSection(timezone="Europe/Berlin", holidays_country="DE",
                    holidays=["2026-12-24", "2026-12-31"])


def _sla(**changes):
    return OFFICE.model_copy(update=changes) if changes else OFFICE


def at(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))


def berlin(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)


DUE = [
    ("Friday 16:00 + 4h is Monday 12:00", {}, berlin(2026, 3, 6, 16), berlin(2026, 3, 9, 12)),
    ("before opening counts from 09:00", {}, berlin(2026, 3, 10, 7), berlin(2026, 3, 10, 13)),
    ("ending exactly at closing time", {}, berlin(2026, 3, 10, 13), berlin(2026, 3, 10, 17)),
    ("start on a Saturday", {}, berlin(2026, 3, 7, 10), berlin(2026, 3, 9, 13)),
    ("start on a Sunday night", {}, berlin(2026, 3, 8, 23, 30), berlin(2026, 3, 9, 13)),
    ("after closing counts from tomorrow", {}, berlin(2026, 3, 10, 18), berlin(2026, 3, 11, 13)),
    ("20 hours span three days", {"hours": 20}, berlin(2026, 3, 9, 9), berlin(2026, 3, 11, 13)),
    ("fractional hours", {"hours": 1.25}, berlin(2026, 3, 10, 16, 30),
     berlin(2026, 3, 11, 9, 45)),
    ("zero hours inside hours is now", {"hours": 0}, berlin(2026, 3, 11, 11, 7),
     berlin(2026, 3, 11, 11, 7)),
    ("zero hours on a Sunday is Monday's opening", {"hours": 0}, berlin(2026, 3, 8, 12),
     berlin(2026, 3, 9, 9)),
    ("zero hours at closing is the next opening", {"hours": 0}, berlin(2026, 3, 6, 17),
     berlin(2026, 3, 9, 9)),
    ("across the spring DST change", {}, berlin(2026, 3, 27, 15), berlin(2026, 3, 30, 11)),
    ("across the autumn DST change", {}, berlin(2026, 10, 23, 16), berlin(2026, 10, 26, 12)),
    ("public holiday (Ascension Day)", {}, berlin(2026, 5, 13, 16), berlin(2026, 5, 15, 12)),
    ("extra holiday and Christmas", {}, berlin(2026, 12, 23, 15), berlin(2026, 12, 28, 11)),
    ("national calendar has no Epiphany", {}, berlin(2026, 1, 5, 16), berlin(2026, 1, 6, 12)),
    ("Bavaria has Epiphany", {"holidays_subdivision": "BY"}, berlin(2026, 1, 5, 16),
     berlin(2026, 1, 7, 12)),
    ("a start given in UTC", {}, datetime(2026, 3, 6, 15, tzinfo=UTC), berlin(2026, 3, 9, 12)),
    ("New York across its DST change", {"timezone": "America/New_York",
                                        "holidays_country": "US"},
     at("America/New_York", 2026, 3, 6, 16), datetime(2026, 3, 9, 16, tzinfo=UTC)),
    ("UTC+14 (Kiritimati)", {"timezone": "Pacific/Kiritimati", "holidays_country": None},
     datetime(2026, 3, 8, 20, tzinfo=UTC), datetime(2026, 3, 9, 0, tzinfo=UTC)),
    ("UTC-11 (Pago Pago)", {"timezone": "Pacific/Pago_Pago", "holidays_country": None},
     datetime(2026, 3, 7, 3, tzinfo=UTC), datetime(2026, 3, 9, 23, tzinfo=UTC)),
    ("UTC+5:30 (Kolkata)", {"timezone": "Asia/Kolkata", "holidays_country": None},
     at("Asia/Kolkata", 2026, 3, 6, 16), datetime(2026, 3, 9, 6, 30, tzinfo=UTC)),
    ("half-hour DST change (Lord Howe)", {"timezone": "Australia/Lord_Howe",
                                          "holidays_country": None},
     at("Australia/Lord_Howe", 2026, 4, 3, 16), datetime(2026, 4, 6, 1, 30, tzinfo=UTC)),
    ("a round-the-clock desk counts real hours over DST",
     {"days": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "start": "00:00",
      "end": "24:00", "holidays_country": None},
     berlin(2026, 3, 28, 23), berlin(2026, 3, 29, 4)),
    ("a weekend shift", {"days": ("sat", "sun"), "start": "10:00", "end": "14:00"},
     berlin(2026, 3, 6, 16), berlin(2026, 3, 7, 14)),
]


@pytest.mark.parametrize(("changes", "start", "due"), [c[1:] for c in DUE],
                         ids=[c[0] for c in DUE])
def test_due_at(changes, start, due):
    got = due_at(_sla(**changes), start)
    assert got == due
    assert got.tzinfo is UTC


BETWEEN = [
    ("Friday 16:00 to Monday 12:00", {}, berlin(2026, 3, 6, 16), berlin(2026, 3, 9, 12), 4.0),
    ("the other way round is negative", {}, berlin(2026, 3, 9, 12), berlin(2026, 3, 6, 16),
     -4.0),
    ("the same instant", {}, berlin(2026, 3, 9, 12), berlin(2026, 3, 9, 12), 0.0),
    ("a weekend has none", {}, berlin(2026, 3, 7, 10), berlin(2026, 3, 8, 18), 0.0),
    ("a working week", {}, berlin(2026, 3, 9), berlin(2026, 3, 16), 40.0),
    ("Christmas week: three working days", {}, berlin(2026, 12, 21), berlin(2026, 12, 28),
     24.0),
    ("inside one day", {}, berlin(2026, 3, 10, 10, 15), berlin(2026, 3, 10, 11), 0.75),
    ("the DST day is 23 hours round the clock",
     {"days": ("sun",), "start": "00:00", "end": "24:00", "holidays_country": None},
     berlin(2026, 3, 29), berlin(2026, 3, 30), 23.0),
    ("the autumn DST day is 25 hours round the clock",
     {"days": ("sun",), "start": "00:00", "end": "24:00", "holidays_country": None},
     berlin(2026, 10, 25), berlin(2026, 10, 26), 25.0),
]


@pytest.mark.parametrize(("changes", "a", "b", "hours"), [c[1:] for c in BETWEEN],
                         ids=[c[0] for c in BETWEEN])
def test_business_hours_between(changes, a, b, hours):
    assert business_hours_between(_sla(**changes), a, b) == pytest.approx(hours)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(OFFICE, datetime(2026, 3, 9, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        business_hours_between(OFFICE, berlin(2026, 3, 9), datetime(2026, 3, 10))


def test_working_days():
    days = [berlin(2026, 12, d).date() for d in range(21, 28)]
    assert [is_working_day(OFFICE, d) for d in days] == [True, True, True, False, False,
                                                         False, False]


@settings(max_examples=300, deadline=None)
@given(start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                          timezones=st.just(UTC)),
       quarters=st.integers(0, 400))
def test_due_at_and_hours_between_agree(start, quarters):
    hours = quarters / 4
    sla = _sla(hours=hours)
    due = due_at(sla, start)
    assert business_hours_between(sla, start, due) == pytest.approx(hours, abs=1e-6)
    local = due.astimezone(BERLIN)
    assert is_working_day(sla, local.date())
    assert minutes(sla.start) <= local.hour * 60 + local.minute <= minutes(sla.end)
    assert due >= start
    assert due_at(_sla(hours=hours + 0.5), start) > due
