"""The existing side an offline file is matched against, in the offline field names.

HubSpot contacts syncd holds are ``hs:<id>``, mirrored Salesforce Leads and Contacts
``sf:<id>``; both become records with the match fields of ``matching.toml``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

__all__ = ["HUBSPOT_FIELDS", "SALESFORCE_FIELDS", "TO_HUBSPOT", "existing_records"]

HUBSPOT_FIELDS = {"email": "email", "firstname": "first_name", "lastname": "last_name", "phone": "phone",
                  "mobilephone": "mobile", "company": "company", "website": "website", "city": "city",
                  "zip": "postcode"}
SALESFORCE_FIELDS = {"Email": "email", "FirstName": "first_name", "LastName": "last_name", "Phone": "phone",
                     "MobilePhone": "mobile", "Company": "company", "Website": "website", "City": "city",
                     "PostalCode": "postcode"}
# Offline field → HubSpot contact property: what a new contact gets, what a blank takes.
TO_HUBSPOT = {"email": "email", "first_name": "firstname", "last_name": "lastname", "phone": "phone",
              "company": "company", "title": "jobtitle", "website": "website", "city": "city",
              "state": "state", "country": "country"}


def _record(values: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    return {field: str(values[key]) for key, field in names.items() if values.get(key) not in (None, "")}


def existing_records(contacts: Sequence[Mapping[str, Any]], mirror: Sequence[Mapping[str, Any]],
                     linked: Collection[str] = ()) -> tuple[list[dict[str, str]], list[str]]:
    """(records, ids) of the live HubSpot contacts and mirrored Salesforce people. One
    person is one record: a Salesforce record linked to a contact (``linked``), sharing its
    email, or a converted Lead is left out, so it never competes with itself."""
    records, ids, emails = [], [], set()
    for c in contacts:
        records.append(_record(c["properties"], HUBSPOT_FIELDS))
        ids.append(f"hs:{c['hubspot_id']}")
        emails.add(str(c["properties"].get("email") or "").strip().lower())
    for p in mirror:
        f = p["fields"]
        email = str(f.get("Email") or "").strip().lower()
        if p["sf_id"] in linked or f.get("IsConverted") or (email and email in emails):
            continue
        records.append(_record(f, SALESFORCE_FIELDS))
        ids.append(f"sf:{p['sf_id']}")
    return records, ids
