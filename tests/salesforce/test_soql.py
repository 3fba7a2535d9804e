"""SOQL building: literals escaped, IN lists split under the URI limit, nothing dropped."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote_plus

import pytest

from connectors.salesforce.soql import datetime_literal, in_queries, literal, select


@pytest.mark.parametrize(("value", "expected"), [
    ("ada@example.com", "'ada@example.com'"),
    ("o'brien@example.com", r"'o\'brien@example.com'"),
    ("back\\slash", r"'back\\slash'"),
    ("line\nbreak", r"'line\nbreak'"),
])
def test_literal_escapes_quotes_and_backslashes(value, expected):
    assert literal(value) == expected


def test_datetime_literal_is_utc_with_milliseconds():
    at = datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert datetime_literal(at) == "2026-03-02T09:00:00.123Z"


def test_datetime_literal_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="timezone-aware"):
        datetime_literal(datetime(2026, 3, 2))


def test_select_renders_where_and_order():
    assert select(["Id", "Email"], "Lead", "IsConverted = false", "Email") == (
        "SELECT Id, Email FROM Lead WHERE IsConverted = false ORDER BY Email")


@pytest.mark.parametrize("max_chars", [1000, 2500, 12000])
def test_in_queries_fit_the_limit_and_keep_every_value_in_order(max_chars):
    values = [f"person{n}+tag@example-company-{n % 13}.com" for n in range(900)]
    head = "SELECT Id FROM Lead WHERE Email IN ("
    queries = list(in_queries(head, values, max_chars=max_chars))
    assert all(len(quote_plus(q)) <= max_chars for q in queries)
    sent = [v for q in queries for v in q.removeprefix(head).removesuffix(")").split(", ")]
    assert sent == [literal(v) for v in values]
    assert len(queries) > 1


def test_in_queries_yield_nothing_for_no_values():
    assert list(in_queries("SELECT Id FROM Lead WHERE Email IN (", [], max_chars=1000)) == []


def test_a_value_longer_than_a_whole_query_is_an_error_not_a_drop():
    with pytest.raises(ValueError, match="too long"):
        list(in_queries("SELECT Id FROM Lead WHERE Email IN (", ["x" * 2000], max_chars=1000))
