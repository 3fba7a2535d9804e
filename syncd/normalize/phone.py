"""Phone numbers to E.164 (``+14155550123``) with ``phonenumbers``.

A number written without its country code is read in the row's country, else the source's
default country; a number that still cannot be placed is refused rather than guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from syncd.normalize.errors import Invalid

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


@lru_cache(maxsize=65536)
def phone_key(raw: str | None, region: str | None = None) -> str | None:
    """A matching key: E.164 digits even when the length is off for the country (the same
    mistyped number on two records is still evidence); ``None`` if it cannot be placed."""
    text = _EXTENSION.sub("", (raw or "").strip())
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except NumberParseException:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)
