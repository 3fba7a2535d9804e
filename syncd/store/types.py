"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime"]


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

        last: list[tuple[datetime | None, str | None]] = [(None, None)]

        def process(value: datetime | None) -> str | None:
            # the text SQLAlchemy's SQLite DATETIME writes ('YYYY-MM-DD HH:MM:SS.ffffff'),
            # formatted in one C call instead of a %-format per value; the same datetime
            # as the last one (a chunk's rows all carry its ``now``) is not formatted again.
            # One tuple read and written whole: threads sharing this processor never mix
            # one value with another's text.
            seen = last[0]
            if value is seen[0]:
                return seen[1]
            if value is not None and value.tzinfo is UTC:  # the usual zone: no conversion
                text = value.isoformat(" ", "microseconds")[:26]
            else:
                bound = self.process_bind_param(value, dialect)
                text = None if bound is None else bound.isoformat(" ", "microseconds")
            last[0] = (value, text)
            return text
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
