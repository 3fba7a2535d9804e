"""Formula injection: a cell starting with ``= + - @`` (or a tab / carriage return) is run
as a formula by spreadsheet programs. Every value syncd writes to a file goes through
``neutralise``, which puts a single quote in front, as OWASP recommends."""

from __future__ import annotations

from typing import Any

__all__ = ["neutralise", "neutralise_all"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``; other text unchanged."""
    return "'" + value if value.startswith(_TRIGGERS) else value


def neutralise_all(value: Any) -> Any:
    """``neutralise`` every string inside dicts, lists and tuples (keys included)."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dict):
        return {neutralise_all(k): neutralise_all(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [neutralise_all(v) for v in value]
    return value
