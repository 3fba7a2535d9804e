"""Date and datetime values as Salesforce writes and reads them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

__all__ = ["parse_temporal", "parse_datetime", "format_datetime", "format_date"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$")


def parse_datetime(text: str) -> datetime | None:
    """A timezone-aware datetime from ISO-8601 text (``Z``, ``+0000`` or ``+00:00``)."""
    m = _DATETIME.match(text)
    if not m:
        return None
    day, hh, mm, ss, frac, zone = m.groups()
    zone = "+00:00" if zone == "Z" else zone
    if len(zone) == 5:
        zone = zone[:3] + ":" + zone[3:]
    micros = (frac or ".0")[1:7].ljust(6, "0")
    try:
        return datetime.fromisoformat(f"{day}T{hh}:{mm}:{ss}.{micros}{zone}").astimezone(UTC)
    except ValueError:
        return None


def parse_temporal(text: str) -> tuple[str, object] | None:
    """``("date", date)`` or ``("datetime", datetime)`` for a SOQL literal, else None."""
    if _DATE.match(text):
        try:
            return "date", date.fromisoformat(text)
        except ValueError:
            return None
    parsed = parse_datetime(text)
    return ("datetime", parsed) if parsed is not None else None


def format_datetime(value: datetime) -> str:
    """``2026-01-02T03:04:05.000+0000``, the form the REST API returns."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def format_date(value: date) -> str:
    return value.isoformat()
