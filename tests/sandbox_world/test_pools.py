"""Phone numbers in every style are the same number; names fold to plain addresses."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from syncd_sandbox.world.people import ascii_fold
from syncd_sandbox.world.pools import COUNTRIES, PHONE_STYLES, format_phone, phone_number

REGION = {"United States": "US", "Canada": "CA", "United Kingdom": "GB", "Germany": "DE",
          "France": "FR", "Netherlands": "NL", "Spain": "ES", "Australia": "AU"}


@pytest.mark.parametrize("country", range(len(COUNTRIES)))
def test_every_style_parses_to_the_same_e164_number(country):
    rng = random.Random(country)
    region = REGION[COUNTRIES[country][0]]
    for _ in range(20):
        number = phone_number(rng, country)
        # Style 4 outside North America is "00<cc> …", as written from a 00-exit-code country.
        parsed = {phonenumbers.format_number(
            phonenumbers.parse(format_phone(number, s), "DE" if s == 4 and region not in ("US", "CA")
                               else region), phonenumbers.PhoneNumberFormat.E164)
                  for s in range(PHONE_STYLES)}
        assert len(parsed) == 1, [format_phone(number, s) for s in range(PHONE_STYLES)]
        assert len({format_phone(number, s) for s in range(PHONE_STYLES)}) >= 5


@pytest.mark.parametrize("name, folded", [("Sørensen", "sorensen"), ("Strauß", "strauss"),
                                          ("O'Brien", "obrien"), ("de Vries", "devries"),
                                          ("Núñez", "nunez"), ("Åsa", "asa")])
def test_names_fold_to_what_a_mail_admin_types(name, folded):
    assert ascii_fold(name) == folded
