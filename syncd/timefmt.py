"""Reading the timestamps the two APIs send (ISO 8601 with ``Z``, ``+0000`` or ``+00:00``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["as_instant"]


def as_instant(value: Any) -> datetime | None:
    """The aware datetime a Salesforce/HubSpot timestamp string names, else None."""
    if not isinstance(value, str) or len(value) < 19 or value[10] != "T":
        return None
    text = value.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None
