"""Deterministic identifiers and timestamps for the seeded world.

Everything here is a pure function of an RNG or a counter, so the same seed always yields
the same ids: no ``uuid4``, no wall clock.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

__all__ = ["DAY_MS", "HOUR_MS", "MINUTE_MS", "SalesforceIds", "iso", "day", "rng_uuid", "to_ms"]

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def to_ms(when: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    return int(when.timestamp() * 1000)


def iso(ms: int) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` for epoch milliseconds (the seed formats' "iso")."""
    text = datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")
    return text[:-6] + "Z"


def day(ms: int) -> str:
    """``YYYY-MM-DD`` (a Salesforce Date) for epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")


def rng_uuid(rng: random.Random) -> str:
    """A version-4-shaped UUID string drawn from ``rng`` (reproducible, unlike ``uuid4``)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def sf_checksum(id15: str) -> str:
    """The three-character case-safe suffix Salesforce appends to a 15-character id."""
    out = []
    for start in (0, 5, 10):
        flags = sum(1 << i for i, c in enumerate(id15[start:start + 5]) if c.isupper())
        out.append(_SUFFIX[flags])
    return "".join(out)


class SalesforceIds:
    """Hands out 18-character Salesforce ids with standard key prefixes, in sequence."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        """The next id for key prefix ``prefix`` (e.g. ``"00Q"`` for a Lead)."""
        n = self._next.get(prefix, 1)
        self._next[prefix] = n + 1
        digits = []
        for _ in range(5):
            n, r = divmod(n, 62)
            digits.append(_BASE62[r])
        id15 = f"{prefix}5e00000{''.join(reversed(digits))}"
        return id15 + sf_checksum(id15)
