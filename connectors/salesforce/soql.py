"""SOQL text, built safely: literals quoted, ``IN`` lists split to fit the length limit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from urllib.parse import quote_plus

from syncd.models import require_aware

__all__ = ["datetime_literal", "in_queries", "literal", "select"]

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"'}


def literal(value: str) -> str:
    """A quoted SOQL string literal; quotes and backslashes escaped."""
    return "'" + "".join(_ESCAPES.get(ch, ch) for ch in value) + "'"


def datetime_literal(value: datetime) -> str:
    """An unquoted SOQL dateTime literal in UTC, e.g. ``2026-03-02T09:00:00.000Z``."""
    require_aware("since", value)
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def select(fields: Sequence[str], object_name: str, where: str = "",
           order_by: str = "") -> str:
    """``SELECT f1, f2 FROM Object [WHERE ...] [ORDER BY ...]``."""
    text = f"SELECT {', '.join(fields)} FROM {object_name}"
    if where:
        text += f" WHERE {where}"
    if order_by:
        text += f" ORDER BY {order_by}"
    return text


def _encoded(text: str) -> int:
    # The query travels URL-encoded in a GET: that length is what the URI limit sees.
    return len(quote_plus(text))


def in_queries(head: str, values: Iterable[str], *, max_chars: int,
               tail: str = ")") -> Iterator[str]:
    """Queries ``head + 'v1', 'v2' ... + tail`` each at most ``max_chars`` URL-encoded.

    ``head`` ends with ``IN (``. Values keep their order; a value that cannot fit even
    alone raises ``ValueError`` rather than being dropped.
    """
    fixed = _encoded(head) + _encoded(tail)
    chunk: list[str] = []
    size = fixed
    for value in values:
        item = literal(value)
        cost = _encoded(item) + (_encoded(", ") if chunk else 0)
        if chunk and size + cost > max_chars:
            yield head + ", ".join(chunk) + tail
            chunk, size = [], fixed
            cost = _encoded(item)
        if fixed + cost > max_chars:
            raise ValueError(f"value {value[:60]!r} is too long for one SOQL query "
                             f"of at most {max_chars} characters")
        chunk.append(item)
        size += cost
    if chunk:
        yield head + ", ".join(chunk) + tail
