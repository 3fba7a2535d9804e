"""Reading HubSpot's values: countries, states and numbers or bands."""

from __future__ import annotations

import math

import pytest

from syncd.routing.geo import country_code, state_code
from syncd.routing.match import number_range


@pytest.mark.parametrize(("given", "code"), [
    ("DE", "DE"), ("de", "DE"), (" Germany ", "DE"), ("DEU", "DE"), ("United States", "US"),
    ("USA", "US"), ("UK", "GB"), ("United Kingdom", "GB"), ("Netherlands", "NL"),
    ("Holland", "NL"), ("Narnia", None), ("", None), (None, None),
])
def test_country_code(given, code):
    assert country_code(given) == code


@pytest.mark.parametrize(("country", "given", "code"), [
    ("US", "California", "CA"), ("US", "ca", "CA"), ("US", "US-NY", "NY"),
    ("CA", "Ontario", "ON"), ("DE", "Bayern", "BY"), (None, "Texas", "TEXAS"),
    ("US", "  ", None), ("US", None, None),
])
def test_state_code(country, given, code):
    assert state_code(country, given) == code


@pytest.mark.parametrize(("text", "span"), [
    ("250", (250, 250)), ("1,200", (1200, 1200)), ("100-500", (100, 500)),
    ("1000+", (1000, math.inf)), ("10,001+", (10001, math.inf)), (" 5 - 25 ", (5, 25)),
    ("500-100", None), ("many", None), ("", None),
])
def test_number_range(text, span):
    assert number_range(text) == span
