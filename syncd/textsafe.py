"""Text shown to people: control and bidirectional-override characters escaped.

A path or value holding U+202E (right-to-left override) or a terminal escape must not
reorder or recolour what an operator reads; it is printed as ``\\u202e`` instead.
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, lines: bool = False) -> str:
    """``str(text)`` with control (Cc), format (Cf: U+202E, U+200F...) and separator
    characters other than the plain space escaped; newlines too unless ``lines``."""
    out = []
    for ch in str(text):
        if lines and ch == "\n":
            out.append(ch)
        elif ch != " " and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs"):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)
