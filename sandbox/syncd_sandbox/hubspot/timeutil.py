"""Timestamps in HubSpot's wire forms: ISO with milliseconds and ``Z``, or epoch milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

__all__ = ["iso", "parse_time", "to_ms", "from_ms"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=1 << 16)  # rendering pages formats the same timestamps again and again
def iso(at: datetime) -> str:
    """Format an aware datetime as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (HubSpot's v3 form)."""
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def to_ms(at: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    delta = at.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """Aware UTC datetime from epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_time(value: str | int | float | datetime) -> datetime:
    """Parse epoch ms (number or digit string), ISO date-time or ``YYYY-MM-DD`` into aware UTC.

    Raises ``ValueError`` naming the accepted forms, because HubSpot accepts both forms
    for date properties and callers must be told which one they got wrong.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass a timezone-aware datetime")
        return value.astimezone(UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_ms(int(value))
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return from_ms(int(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not epoch milliseconds or an ISO-8601 date-time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
