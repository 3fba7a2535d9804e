"""Salesforce record ids: 15-character case-sensitive ids plus the 3-character suffix."""

from __future__ import annotations

__all__ = ["KEY_PREFIXES", "make_id", "normalize_id", "looks_like_id"]

KEY_PREFIXES = {
    "Account": "001", "Contact": "003", "User": "005", "Opportunity": "006",
    "Lead": "00Q", "Task": "00T", "Event": "00U", "Group": "00G", "LeadStatus": "01J", "Organization": "00D",
    "QueryLocator": "01g", "Job": "750",
}
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _suffix(id15: str) -> str:
    # Each 5-character chunk contributes one letter encoding which characters are upper case,
    # which is what lets case-insensitive systems tell ids apart.
    out = []
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, ch in enumerate(id15[start:start + 5]) if "A" <= ch <= "Z")
        out.append(_SUFFIX_ALPHABET[bits])
    return "".join(out)


def make_id(prefix: str, number: int) -> str:
    """The ``number``-th id with ``prefix`` (deterministic, 18 characters)."""
    digits = ""
    n = number
    while n:
        n, rem = divmod(n, 62)
        digits = _BASE62[rem] + digits
    id15 = prefix + "5e" + "0" * 3 + digits.rjust(7, "0")
    return id15 + _suffix(id15)


def looks_like_id(value: object) -> bool:
    """True when ``value`` has the shape of a 15- or 18-character record id."""
    return isinstance(value, str) and len(value) in (15, 18) and value.isalnum()


def normalize_id(value: str) -> str:
    """The 18-character form of a 15- or 18-character id (other strings unchanged)."""
    if isinstance(value, str) and len(value) == 15 and value.isalnum():
        return value + _suffix(value)
    return value
