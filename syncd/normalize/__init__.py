"""Pure normalisers for the values offline files and CRM records carry.

Each takes a raw value (and, where it matters, a default country) and returns the
canonical form, or raises ``Invalid`` with a reason a person can act on. None of them
touches the network: email addresses are checked for syntax only, phone numbers against
the number plan metadata ``phonenumbers`` ships.
"""

from __future__ import annotations

from syncd.normalize.company import clean_company, company_acronym, company_key, domain_label
from syncd.normalize.country import normalize_country
from syncd.normalize.email import EmailValue, normalize_email
from syncd.normalize.errors import Invalid
from syncd.normalize.name import (clean_name, first_name_groups, name_key, split_full_name)
from syncd.normalize.phone import normalize_phone, phone_key
from syncd.normalize.text import clean_text

__all__ = ["EmailValue", "Invalid", "clean_company", "clean_name", "clean_text", "company_acronym",
           "company_key", "domain_label", "first_name_groups", "name_key", "normalize_country",
           "normalize_email", "normalize_phone", "phone_key", "split_full_name"]
