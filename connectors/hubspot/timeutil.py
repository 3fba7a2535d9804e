"""HubSpot's time forms (ISO with ``Z``, epoch milliseconds) to aware datetimes and back."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["from_ms", "ms_or_none", "parse_ms", "to_ms"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(at: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """Aware UTC datetime of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_ms(value: object, *, field: str) -> int:
    """Epoch ms of an ISO date-time or epoch-ms value; ``ValueError`` names ``field``."""
    ms = ms_or_none(value)
    if ms is None:
        raise ValueError(f"HubSpot sent {field}={value!r}, which is neither an ISO date-time "
                         "nor epoch milliseconds")
    return ms


def ms_or_none(value: object) -> int | None:
    """``parse_ms`` without the message: ``None`` for a value that is neither form (for
    callers that name the field only when it is needed)."""
    kind = type(value)
    if kind is int:  # the usual forms first: epoch ms as a number, then as text
        return value
    if kind is str:
        text = value.strip()
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    else:
        text = str(value or "").strip()
    if text.isdigit():
        return int(text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return to_ms(parsed)
