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


def json_loads(raw: str | bytes) -> Any:
    """The value of a column's JSON text, as ``json.loads`` reads it."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # orjson reads an integer of 19 digits or more beyond 64 bits as a float: text with
    # such a run of digits goes to json.loads, as does anything orjson refuses (json.loads
    # then accepts it or raises its own ValueError)
    if data.translate(_DIGIT_RUNS).find(_LONG_RUN) < 0:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw)


_DIGIT_RUNS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))  # digits to "0", the rest to " "
_LONG_RUN = b"0" * 19


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
