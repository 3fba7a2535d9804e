"""Column types that behave the same on SQLite and PostgreSQL, and the JSON text codec."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime", "json_dumps", "json_loads"]

_DUMPS_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_dumps(value: Any) -> str:
    """The JSON text of a column value: the same values ``json.dumps`` writes (compact).
    What orjson does not take (integers beyond 64 bits, text with lone surrogates, values
    JSON has no form for) goes to ``json.dumps``, which writes or refuses it as before."""
    try:
        return orjson.dumps(value, option=_DUMPS_OPTIONS).decode()
    except TypeError:
        return json.dumps(value)


def json_loads(text: str | bytes) -> Any:
    """The value of a column's JSON text, as ``json.loads`` reads it. orjson reads an
    integer beyond 64 bits as a float: a value with a float in it is read again by
    ``json.loads`` (floats are rare in the store's JSON; ints, text and flags are not)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return json.loads(text) if _has_float(value) else value


_CONTAINERS = (dict, list)


def _has_float(value: Any) -> bool:
    kind = type(value)
    if kind is not dict and kind is not list:
        return kind is float
    items = value.values() if kind is dict else value
    kinds = set(map(type, items))
    if float in kinds:
        return True
    return (dict in kinds or list in kinds) and any(_has_float(v) for v in items if type(v) in _CONTAINERS)


class UtcDateTime(TypeDecorator):
    """Stores UTC without a zone (SQLite keeps none), always returns aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the state store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def bind_processor(self, dialect):
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            # the text SQLAlchemy's SQLite DATETIME writes ('YYYY-MM-DD HH:MM:SS.ffffff'),
            # formatted in one C call instead of a %-format per value
            if value is not None and value.tzinfo is UTC:  # the usual zone: no conversion
                return value.isoformat(" ", "microseconds")[:26]
            value = self.process_bind_param(value, dialect)
            return None if value is None else value.isoformat(" ", "microseconds")
        return process

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = super().result_processor(dialect, coltype)

        def process(value: str | None) -> datetime | None:
            # the text this type writes, read in one C call; any other form as before
            if type(value) is str and len(value) == 26 and value[10] == " ":
                return datetime.fromisoformat(value + "+00:00")
            return parse(value)
        return process

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)
