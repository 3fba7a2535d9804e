"""Each normaliser, table-driven: what goes in, what comes out, and what is refused."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.normalize import (Invalid, clean_name, company_acronym, company_key, domain_label,
                             first_name_groups, name_key, normalize_country, normalize_email,
                             normalize_phone, split_full_name)
from syncd.normalize.email import _is_plain


@pytest.mark.parametrize(("raw", "address", "free", "role"), [
    ("john.smith@acme.com", "john.smith@acme.com", False, False),
    ("  John.Smith@ACME.com ", "john.smith@acme.com", False, False),
    ("john.smith+webinar@acme.com", "john.smith@acme.com", False, False),
    ("<jane@acme.io>", "jane@acme.io", False, False),
    ("Bob.Jones42@Gmail.com", "bob.jones42@gmail.com", True, False),
    ("INFO@acme.de", "info@acme.de", False, True),
    ("sales+eu@acme.de", "sales@acme.de", False, True),
    ("customer-service@acme.fr", "customer-service@acme.fr", False, False),
    ("josé@exämple.com", "josé@exämple.com", False, False),
    ("a@b.c", "a@b.c", False, False),
])
def test_email_canonical_forms(raw, address, free, role):
    value = normalize_email(raw)
    assert (value.address, value.free_mail, value.role) == (address, free, role)
    assert value.address == f"{value.local}@{value.domain}"


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "no email"),
    ("   ", "no email"),
    ("john.smith", "not a valid email"),
    ("john@acme", "not a valid email"),
    ("john..smith@acme.com", "two periods"),
    ("john@acme,com", "not a valid email"),
    ("john@localhost", "not a valid email"),
    ("john@acme.test", "special-use"),
])
def test_email_refusals(raw, reason):
    with pytest.raises(Invalid, match=reason):
        normalize_email(raw)


_local = st.from_regex(r"[a-z0-9_%+.-]{1,70}", fullmatch=True)
_domain = st.from_regex(r"([a-z0-9-]{1,12}\.){1,3}[a-z0-9]{1,6}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(_local, _domain)
def test_fast_email_path_agrees_with_email_validator(local, domain):
    address = f"{local}@{domain}"
    if not _is_plain(address):
        return
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:  # pragma: no cover - the assertion is the point
        raise AssertionError(f"fast path accepts {address!r}, email-validator refuses: {exc}")
    assert result.normalized.lower() == address


@pytest.mark.parametrize(("raw", "region", "e164"), [
    ("+1 415 555-0123", None, "+14155550123"),
    ("(415) 555-0123", "US", "+14155550123"),
    ("1-415-555-0123", "US", "+14155550123"),
    ("415.555.0123", "CA", "+14155550123"),
    ("0044 20 1234 5678", None, "+442012345678"),
    ("020 1234 5678", "GB", "+442012345678"),
    ("+44 (0)20 1234 5678", "DE", "+442012345678"),
    ("030 12345678", "DE", "+493012345678"),
    ("01 23 45 67 89", "FR", "+33123456789"),
    ("+1 415 555 0123 ext. 12", None, "+14155550123"),
    ("020-1234567", "NL", "+31201234567"),
    ("91 123 4567", "ES", "+34911234567"),
])
def test_phone_to_e164(raw, region, e164):
    assert normalize_phone(raw, region) == e164


@pytest.mark.parametrize(("raw", "region", "reason"), [
    ("", "US", "no phone"),
    ("415 555 0123", None, "no country code"),
    ("call me", "US", "not a phone number"),
    ("12", "US", "wrong number of digits"),
    ("+1 415 555 01234567", None, "wrong number of digits"),
])
def test_phone_refusals(raw, region, reason):
    with pytest.raises(Invalid, match=reason):
        normalize_phone(raw, region)


@pytest.mark.parametrize(("raw", "clean"), [
    ("  John   Smith ", "John Smith"),
    ("JOHN SMITH", "John Smith"),
    ("john smith", "John Smith"),
    ("O'BRIEN", "O'Brien"),
    ("mccarthy", "McCarthy"),
    ("JAN DE VRIES", "Jan de Vries"),
    ("SØREN MÜLLER", "Søren Müller"),
    ("Søren\tMüller", "Søren Müller"),
    ("McDonald", "McDonald"),
    ("DeVito", "DeVito"),
    ("ANNE-MARIE", "Anne-Marie"),
])
def test_names_tidied_accents_kept(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(("raw", "parts"), [
    ("John Smith", ("John", "Smith")),
    ("Smith, John", ("John", "Smith")),
    ("Dr. John Smith Jr.", ("John", "Smith")),
    ("Jan de Vries", ("Jan", "de Vries")),
    ("Ludwig van der Berg", ("Ludwig", "van der Berg")),
    ("Mary Ann Jones", ("Mary Ann", "Jones")),
    ("Madonna", ("", "Madonna")),
    ("José  García ", ("José", "García")),
    ("Olivia NGUYEN", ("Olivia", "Nguyen")),
    ("SMITH, john", ("John", "Smith")),
    ("", ("", "")),
])
def test_full_names_split(raw, parts):
    assert split_full_name(raw) == parts


@pytest.mark.parametrize(("raw", "key"), [
    ("O'Brien", "obrien"), ("Sørensen", "sorensen"), ("Müller", "muller"), ("Strauß", "strauss"),
    ("de Vries", "devries"), ("Иванова", "ivanova"), ("  SMITH ", "smith"), ("", ""),
    ("Mueller", "muller"), ("Schröder", "schroder"), ("Schroeder", "schroder"),
])
def test_name_keys_transliterated(raw, key):
    assert name_key(raw) == key


@pytest.mark.parametrize(("key", "groups"), [
    ("bob", ("robert",)), ("robert", ("robert",)), ("bill", ("william",)),
    ("alex", ("alexander", "alexandra")), ("zoe", ("zoe",)), ("", ()),
])
def test_nicknames_meet_formal_names(key, groups):
    assert first_name_groups(key) == groups


@pytest.mark.parametrize(("raw", "key", "acronym"), [
    ("Northwind Logistics GmbH & Co. KG", "northwind logistics", "nl"),
    ("Acme Inc.", "acme", ""),
    ("ACME, Inc", "acme", ""),
    ("The Boring Company", "boring", ""),
    ("Keystone Wave Pty Ltd", "keystone wave", "kw"),
    ("International Business Machines Corp.", "international business machines", "ibm"),
    ("Café Müller S.A.", "cafe muller", "cm"),
    ("Jansen B.V.", "jansen", ""),
    ("Procter & Gamble", "procter and gamble", "pg"),
    ("Inc.", "inc", ""),
    ("", "", ""),
])
def test_company_keys(raw, key, acronym):
    assert company_key(raw) == key
    assert company_acronym(company_key(raw)) == acronym


@pytest.mark.parametrize(("domain", "label"), [
    ("northwindlabs.co.uk", "northwindlabs"), ("https://www.acme.com/about", "acme"),
    ("apex-works.de", "apexworks"), ("shop.acme.com.au", "acme"), ("gmail.com", ""),
    ("", ""), ("localhost", ""),
])
def test_domain_labels(domain, label):
    assert domain_label(domain) == label


@pytest.mark.parametrize(("raw", "code"), [
    ("Germany", "DE"), ("Deutschland", "DE"), ("Allemagne", "DE"), ("Alemania", "DE"),
    ("Duitsland", "DE"), ("Germania", "DE"), ("DEU", "DE"), ("de", "DE"),
    ("United Kingdom", "GB"), ("UK", "GB"), ("Royaume-Uni", "GB"), ("USA", "US"),
    ("Estados Unidos", "US"), ("Stati Uniti", "US"), ("Nederland", "NL"), ("Holland", "NL"),
    ("Paesi Bassi", "NL"), ("España", "ES"), ("Espagne", "ES"), ("Frankreich", "FR"),
    ("Schweiz", "CH"), ("Österreich", "AT"),
])
def test_countries_to_iso(raw, code):
    assert normalize_country(raw) == code


@pytest.mark.parametrize("raw", ["Narnia", "", "   "])
def test_unknown_countries_refused(raw):
    with pytest.raises(Invalid):
        normalize_country(raw)


_CODES = st.sampled_from(["1", "44", "49", "33", "31", "34", "61", "41", "43", "46", "45", "48", "353",
                          "351", "32", "81", "86", "91", "65", "971", "27"])


@settings(max_examples=300, deadline=None)
@given(_CODES, st.from_regex(r"[1-9][0-9]{6,11}", fullmatch=True), st.sampled_from([" ", "-", ".", ""]),
       st.booleans())
def test_fast_phone_key_agrees_with_phonenumbers(code, national, sep, double_zero):
    from syncd.normalize.phone import _international_key, _parsed_key

    text = ("00" if double_zero else "+") + code + sep + national[:3] + sep + national[3:]
    fast = _international_key(text)
    if fast is not None:
        assert fast == _parsed_key(text, None)
