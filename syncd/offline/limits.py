"""Caps that keep one bad or hostile file from taking the daemon down with it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """``max_bytes`` for the whole file, ``max_rows`` data records, ``max_field`` characters
    in one cell. A file over the first two is refused; a cell over the third rejects its row."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 200_000
    max_field: int = 4_000
