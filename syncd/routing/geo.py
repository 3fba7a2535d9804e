"""Country and state values as HubSpot holds them, read as ISO 3166 codes.

HubSpot's ``country`` is free text ("Germany", "germany", "DE", "DEU", "UK"); territories
compare ISO 3166-1 alpha-2 codes, so both sides are normalised here, once.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pycountry

__all__ = ["country_code", "suggest_country", "state_code"]

# Spellings people use that are not ISO names or codes.
_ALIASES = {"UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB",
            "WALES": "GB", "NORTHERN IRELAND": "GB", "EL": "GR", "USA": "US",
            "UNITED STATES OF AMERICA": "US", "AMERICA": "US", "HOLLAND": "NL",
            "THE NETHERLANDS": "NL", "SOUTH KOREA": "KR", "RUSSIA": "RU", "CZECHIA": "CZ"}


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code, or None when unknown."""
    text = (value or "").strip()
    if not text:
        return None
    alias = _ALIASES.get(text.upper())
    if alias:
        return alias
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def suggest_country(value: str) -> str | None:
    """A close alpha-2 code for a wrong one in routing.toml ("Germany" -> "DE")."""
    found = country_code(value)
    if found:
        return found
    by_name = {c.name.upper(): c.alpha_2 for c in pycountry.countries}
    close = difflib.get_close_matches(value.strip().upper(), list(by_name), n=1, cutoff=0.75)
    return by_name[close[0]] if close else None


@lru_cache(maxsize=4096)
def state_code(country: str | None, value: str | None) -> str | None:
    """A state or province as the ISO 3166-2 code after the country part ("California",
    "us-ca" and "CA" in the US all read "CA"); unknown text comes back upper-cased so a
    territory can still list it."""
    text = (value or "").strip()
    if not text:
        return None
    upper = text.upper()
    if country and upper.startswith(f"{country}-"):
        upper = upper[len(country) + 1:]
    subdivisions = (pycountry.subdivisions.get(country_code=country) or ()) if country else ()
    for sub in subdivisions:
        part = sub.code.split("-", 1)[1]
        if upper == part or upper == sub.name.upper():
            return part
    return upper
