"""Phone numbers to E.164 (``+14155550123``) with ``phonenumbers``.

A number written without its country code is read in the row's country, else the source's
default country; a number that still cannot be placed is refused rather than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from syncd.normalize.errors import Invalid

# Country codes whose numbers phonenumbers rewrites beyond dropping a trunk 0 (mobile
# prefixes, leading zeros kept): always parsed.
_PARSE_ALWAYS = frozenset({"7", "39", "52", "54", "55", "57", "225"})

__all__ = ["normalize_phone", "phone_key"]

_EXTENSION = re.compile(r"\s*(?:ext\.?|x|#|extension|durchwahl|poste)\s*\d+\s*$", re.IGNORECASE)


def normalize_phone(raw: str, region: str | None = None) -> str:
    """``raw`` as E.164; ``region`` (ISO alpha-2) places numbers written nationally."""
    text = (raw or "").strip()
    if not text:
        raise Invalid("no phone number")
    return _e164(_EXTENSION.sub("", text), (region or "").upper() or None)


@lru_cache(maxsize=65536)
def _e164(text: str, region: str | None) -> str:
    if text.startswith("00"):  # the international prefix most of the world dials
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            raise Invalid("phone number has no country code and no default country is set "
                          "(add +<code>, a country column, or default_country in the mapping)"
                          ) from None
        raise Invalid(f"not a phone number: {exc._msg}") from None
    if not phonenumbers.is_possible_number(number):
        raise Invalid("phone number has the wrong number of digits for its country")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


_SEPARATORS = re.compile(r"[\s.\-/]")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")


def _international_key(text: str) -> str | None:
    """``+<country code><national number>`` written with only separators needs no parsing
    when the national number does not start with a trunk 0: E.164 is its digits. (A test
    checks this agrees with phonenumbers; it spares ~40 µs a number on large inputs.)"""
    plain = _SEPARATORS.sub("", text)
    if plain.startswith("00"):
        plain = "+" + plain[2:]
    if not _INTERNATIONAL.fullmatch(plain):
        return None
    for size in (1, 2, 3):
        code = int(plain[1:1 + size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            prefix = _trunk_prefix(code)
            national = plain[1 + size:]
            return None if prefix is None or national.startswith(("0", prefix or "0")) else plain
    return None


@lru_cache(maxsize=None)
def _trunk_prefix(code: int) -> str | None:
    """The country's trunk prefix ("" for none); None when phonenumbers rewrites its
    numbers by a pattern (mobile prefixes, leading zeros kept): always parse those."""
    if str(code) in _PARSE_ALWAYS:
        return None
    meta = phonenumbers.PhoneMetadata.metadata_for_region(COUNTRY_CODE_TO_REGION_CODE[code][0])
    if meta is None:
        return None
    parsing = meta.national_prefix_for_parsing
    if parsing and not parsing.isdigit():
        return None
    return parsing or meta.national_prefix or ""


def phone_key(raw: str | None, region: str | None = None) -> str | None:
    """A matching key: E.164 digits even when the length is off for the country (the same
    mistyped number on two records is still evidence); ``None`` if it cannot be placed."""
    text = _EXTENSION.sub("", (raw or "").strip())
    if not text:
        return None
    return _international_key(text) or _parsed_key(text, region)


@lru_cache(maxsize=65536)
def _parsed_key(text: str, region: str | None) -> str | None:
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except NumberParseException:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
