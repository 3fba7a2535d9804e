"""The HubSpot side of the world: owners, forms and contact records.

Contact properties are what HubSpot would hold: all values strings (or ``None``), the
lifecycle stage as a high-water mark, ``hs_lead_status`` where sales set one, and
``hs_email_optout`` for those who unsubscribed.
"""

from __future__ import annotations

import random

from . import pools
from ._ids import HOUR_MS, iso, rng_uuid
from .activity import FORMS
from .people import Company, Person
from .personas import persona as persona_of

__all__ = ["CONTACT_PROPERTIES", "OWNERS", "PORTAL_ID", "contact_record", "form_ids", "make_forms", "make_owners",
           "owner_email", "owner_id"]

PORTAL_ID = 4_000_123
OWNERS = (("Olivia", "Hart"), ("Marcus", "Reed"), ("Priya", "Raman"), ("Tom", "Becker"),
          ("Elena", "Rossi"), ("Sam", "Okafor"), ("Hannah", "Lindqvist"), ("Diego", "Alvarez"))
_OWNER_DOMAIN = "brightloop.io"
_BUCKETS = ((5, "1-5"), (25, "5-25"), (50, "25-50"), (100, "50-100"), (500, "100-500"),
            (1000, "500-1000"))
_SOURCES = ("ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS",
            "DIRECT_TRAFFIC", "OFFLINE")
# Standard HubSpot contact properties the seed uses with their real shape: "Original
# Source" and "Number of Employees" are dropdowns in HubSpot, not free numbers.
CONTACT_PROPERTIES = [
    {"name": "hs_analytics_source", "label": "Original Source", "type": "enumeration",
     "fieldType": "select", "groupName": "analyticsinformation", "hubspotDefined": True,
     "options": [{"label": s.replace("_", " ").title(), "value": s, "displayOrder": i,
                  "hidden": False} for i, s in enumerate(_SOURCES)]},
    {"name": "numemployees", "label": "Number of Employees", "type": "enumeration",
     "fieldType": "select", "groupName": "contactinformation", "hubspotDefined": True,
     "options": [{"label": b, "value": b, "displayOrder": i, "hidden": False}
                 for i, b in enumerate([b for _, b in _BUCKETS] + ["1000+"])]},
    *({"name": name, "label": label, "type": "enumeration", "fieldType": "select", "groupName": "syncd",
       "options": [{"label": v.title(), "value": v, "displayOrder": i, "hidden": False}
                   for i, v in enumerate(values)]}
      for name, label, values in (
          ("syncd_buying_intent", "Buying intent (syncd)", ("passive", "active")),
          ("syncd_fit_grade", "Fit grade (syncd)", ("A", "B", "C", "D")),
          ("syncd_sales_verdict", "Sales verdict (syncd)",
           ("open", "working", "recycled", "disqualified", "converted")))),
    {"name": "syncd_lead_score", "label": "Lead score (syncd)", "type": "number", "fieldType": "number",
     "groupName": "syncd"},
]


def owner_id(index: int) -> str:
    """HubSpot owner id of owner ``index``."""
    return str(101 + index)


def owner_email(index: int) -> str:
    """The work email of owner ``index`` (the same person is a Salesforce user)."""
    first, last = OWNERS[index]
    return f"{first.lower()}.{last.lower()}@{_OWNER_DOMAIN}"


def make_owners(created_ms: int) -> list[dict]:
    """The portal's owners (v3 owner shape)."""
    return [{"id": owner_id(i), "email": owner_email(i), "firstName": first, "lastName": last,
             "userId": 9001 + i, "createdAt": iso(created_ms + i * HOUR_MS),
             "updatedAt": iso(created_ms + i * HOUR_MS), "archived": False}
            for i, (first, last) in enumerate(OWNERS)]


def form_ids(seed: int) -> dict[str, str]:
    """Form name → form guid; a pure function of the seed so later changes can find them."""
    rng = random.Random(f"forms:{seed}")
    return {name: rng_uuid(rng) for name in FORMS}


def make_forms(seed: int, created_ms: int) -> list[dict]:
    """The portal's forms, the hand-raise ones ("Demo request", "Contact sales") first."""
    return [{"id": guid, "name": name, "formType": "hubspot", "createdAt": iso(created_ms),
             "updatedAt": iso(created_ms), "archived": False}
            for name, guid in form_ids(seed).items()]


def contact_record(rng: random.Random, *, hs_id: str, person: Person, company: Company,
                   email: str | None, first: str, last: str, stage: str | None = None,
                   last_activity_ms: int, now_ms: int) -> dict:
    """One contact as HubSpot stores it."""
    p = persona_of(person.persona)
    modified = min(max(person.created_ms, last_activity_ms) + rng.randrange(HOUR_MS), now_ms)
    country = pools.COUNTRIES[company.country][0]
    props = {
        "email": email, "firstname": first, "lastname": last,
        "phone": _phone(rng, person),
        "company": company.name, "jobtitle": person.title or None, "website": company.website,
        "country": country, "industry": pools.INDUSTRIES[company.industry][0],
        "numemployees": next((b for top, b in _BUCKETS if company.employees <= top), "1000+"),
        "lifecyclestage": stage or _weighted(rng, p.stages),
        "hs_lead_status": _weighted(rng, p.lead_statuses),
        "hubspot_owner_id": owner_id(person.owner) if person.owner is not None else None,
        "hs_analytics_source": rng.choice(_SOURCES),
        "createdate": iso(person.created_ms), "lastmodifieddate": iso(modified),
        "hs_email_optout": "true" if person.persona == "unsubscribed" else "false",
    }
    return {"id": hs_id, "createdAt": props["createdate"], "updatedAt": props["lastmodifieddate"],
            "archived": False, "properties": props}


def _phone(rng: random.Random, person: Person) -> str | None:
    if person.phone is None:
        return None
    return pools.format_phone(person.phone, rng.randrange(pools.PHONE_STYLES))


def _weighted(rng: random.Random, options):
    values = [v for v, _ in options]
    return rng.choices(values, weights=[w for _, w in options])[0]
