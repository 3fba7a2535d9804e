"""The SQLite store's JSON and time codecs give the values the standard library gives: the
same JSON values ``json.loads`` reads (also for integers beyond 64 bits and text orjson
refuses) and the same aware UTC times, stored in SQLAlchemy's text form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from syncd.store import tables as t
from syncd.store.engine import create_engine
from syncd.jsontext import json_dumps, json_loads

VALUES = [{"a": 1, "b": [True, None, "é"], "c": {"d": 1.5, "e": -0.0}}, {1: "int key", None: "x"},
          {"big": 2 ** 70, "neg": -(2 ** 64)}, [9_999_999_999_999_999_999, -9_999_999_999_999_999_999],
          {"id": "12345678901234567890123"}, {"lone": "\ud800"}, [], {}, "text", 0.1 + 0.2]


@pytest.mark.parametrize("value", VALUES)
def test_json_columns_keep_the_values_json_keeps(value):
    expected = json.loads(json.dumps(value))
    assert repr(json_loads(json_dumps(value))) == repr(expected)
    assert repr(json_loads(json.dumps(value))) == repr(expected)  # text written before orjson
    assert repr(json_loads(json.dumps(value).encode("utf-8", "surrogatepass"))) == repr(expected)  # HubSpot bytes


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": 1', "", "\ufeff{}"])
def test_json_text_orjson_refuses_is_read_or_refused_as_json_reads_it(text):
    try:
        expected = repr(json.loads(text))
    except ValueError as exc:
        expected = type(exc)
    for read in (json_loads,):  # the store and the HubSpot transport read through it
        try:
            got = repr(read(text))
        except ValueError as exc:
            got = type(exc)
        assert got == expected


def test_values_json_cannot_write_are_refused_as_before():
    for value in ({"at": datetime(2026, 1, 1, tzinfo=UTC)}, {"s": {1, 2}}):
        with pytest.raises(TypeError):
            json_dumps(value)


def test_times_are_stored_in_sqlalchemys_text_and_read_back_aware_utc():
    engine = create_engine("sqlite:///:memory:")
    column = t.engagement.c.occurred_at.type
    write = column.dialect_impl(engine.dialect).bind_processor(engine.dialect)
    read = column.dialect_impl(engine.dialect).result_processor(engine.dialect, None)
    for at in (datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC),
               datetime(2026, 3, 4, 7, 6, 7, tzinfo=timezone(timedelta(hours=2)))):
        text = write(at)
        assert text == at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        back = read(text)
        assert back == at and back.tzinfo is UTC
    assert read("2026-03-04 05:06:07") == datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)  # other stored forms
    assert write(None) is None and read(None) is None
    with pytest.raises(ValueError):
        write(datetime(2026, 1, 1))


def test_a_time_written_again_or_after_another_gets_its_own_text():
    engine = create_engine("sqlite:///:memory:")
    write = t.contacts.c.pulled_at.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
    a, b = datetime(2026, 3, 4, 5, 6, 7, 1, tzinfo=UTC), datetime(2026, 3, 4, 7, 6, 7, tzinfo=timezone(timedelta(hours=2)))
    assert [write(v) for v in (a, a, b, None, b, a, None)] == [
        "2026-03-04 05:06:07.000001", "2026-03-04 05:06:07.000001", "2026-03-04 05:06:07.000000", None,
        "2026-03-04 05:06:07.000000", "2026-03-04 05:06:07.000001", None]
    with pytest.raises(ValueError):
        write(datetime(2026, 1, 1))  # a naive time is refused however often it comes
    with pytest.raises(ValueError):
        write(datetime(2026, 1, 1))
