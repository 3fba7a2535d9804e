"""Whitespace and control characters: what every text cell goes through first."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "fold"]

_SPACE = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Trim, collapse runs of whitespace (tabs, non-breaking spaces) to one space, and
    drop control characters; NFC so "é" typed two ways compares equal."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(c for c in text if c.isprintable() or c.isspace())
    return _SPACE.sub(" ", text).strip()


def fold(value: str) -> str:
    """Lower-case ASCII letters and digits only: how two spellings of one name meet."""
    from unidecode import unidecode

    text = value if value.isascii() else unidecode(value)
    return "".join(c for c in text.lower() if c.isalnum())
