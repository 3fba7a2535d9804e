"""Which Salesforce records each person has, by persona.

Customers are Contacts on Accounts with a closed-won deal (most via a converted Lead);
evaluators, sales-worked, recycled and disqualified people are Leads in the matching
status; a few marketing-only people were imported as Leads long ago. Some people get a
duplicate (a second Lead, or a stale Lead next to their Contact), and some Salesforce
people are not in HubSpot at all (persona ``salesforce_only``).
"""

from __future__ import annotations

import random

from . import pools
from ._ids import DAY_MS
from .people import Person
from .salesforce_seed import OrgBuilder

__all__ = ["place_people"]

_LEAD_SHARE = {"passive_subscriber": 0.08, "engaged_learner": 0.15, "active_evaluator": 0.6,
               "sales_working": 0.95, "recycled": 0.9, "disqualified": 0.85, "bounced": 0.1,
               "unsubscribed": 0.1, "salesforce_only": 0.7}
_STATUS = {"sales_working": "Working - Contacted", "recycled": "Nurture",
           "disqualified": "Unqualified"}
_OPEN_STAGES = ("Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote")
DUPLICATE_SHARE = 0.05
LINKED_SHARE = 0.2


def place_people(org: OrgBuilder, people: list[Person], hs_ids: dict[str, str]) -> dict:
    """Write every person's Salesforce records; return the truth about them."""
    truth = {"salesforce_person": {}, "salesforce_ids": {}, "salesforce_duplicates": [],
             "converted_leads": {}}
    won: set[int] = set()
    for person in people:
        ids = _place(org, person, hs_ids.get(person.key), won, truth)
        if ids:
            truth["salesforce_ids"][person.key] = ids
            truth["salesforce_person"].update({i: person.key for i in ids})
    return truth


def _place(org: OrgBuilder, p: Person, hs_id: str | None, won: set[int], truth: dict) -> list[str]:
    rng = org.rng
    linked = hs_id if rng.random() < LINKED_SHARE else None
    owner = org.owner(p)
    if p.persona in ("customer", "churned_customer") or (
            p.persona == "salesforce_only" and rng.random() < 0.3):
        ids = _customer(org, p, linked, owner, won, truth)
        live = [ids[0]]
    elif rng.random() < _LEAD_SHARE.get(p.persona, 0.0):
        status = _STATUS.get(p.persona, "Open - Not Contacted")
        if p.persona == "salesforce_only" and rng.random() < 0.3:
            status = "Working - Contacted"
        ids = live = [org.lead(sf_view(rng, p, org), status=status, owner_id=owner,
                               created_ms=p.created_ms, hubspot_id=linked)]
        if p.persona == "sales_working" and rng.random() < 0.35:
            acct = org.account(p.company, owner)
            org.opportunity(acct, f"{org.companies[p.company].name} - New Business",
                            rng.choice(_OPEN_STAGES), org.now_ms + rng.randint(10, 90) * DAY_MS, owner)
    else:
        return []
    if rng.random() < DUPLICATE_SHARE:
        dup = org.lead(sf_view(rng, p, org, messy=True), status="Open - Not Contacted",
                       owner_id=org.owner(p), created_ms=p.created_ms + rng.randint(5, 90) * DAY_MS)
        ids.append(dup)
        truth["salesforce_duplicates"].append(live + [dup])
    return ids


def _customer(org: OrgBuilder, p: Person, linked: str | None, owner: str, won: set[int],
              truth: dict) -> list[str]:
    rng, now = org.rng, org.now_ms
    acct = org.account(p.company, owner)
    view = sf_view(rng, p, org)
    cid = org.contact(view, account_id=acct, owner_id=owner, created_ms=p.created_ms, hubspot_id=linked)
    ids = [cid]
    if rng.random() < 0.7:
        lead = org.lead(view, status="Closed - Converted", owner_id=owner, created_ms=p.created_ms,
                        converted=(cid, acct, min(p.created_ms + rng.randint(10, 120) * DAY_MS, now)))
        ids.append(lead)
        truth["converted_leads"][lead] = cid
    if p.company not in won:
        won.add(p.company)
        name = org.companies[p.company].name
        churned = p.persona == "churned_customer"
        won_days = rng.randint(400, 700) if churned else rng.randint(30, 600)
        org.opportunity(acct, f"{name} - New Business", "Closed Won", now - won_days * DAY_MS, owner)
        if churned:
            org.opportunity(acct, f"{name} - Renewal", "Closed Lost",
                            now - rng.randint(100, 250) * DAY_MS, owner)
    return ids


def sf_view(rng: random.Random, p: Person, org: OrgBuilder, *, messy: bool = False) -> dict:
    """How a sales rep typed ``p`` into Salesforce; ``messy`` forces a nickname or odd case."""
    company = org.companies[p.company]
    nick = pools.NICKNAMES.get(p.first)
    first = rng.choice(nick) if nick and rng.random() < (0.6 if messy else 0.1) else p.first
    email = p.email
    if email and rng.random() < (0.7 if messy else 0.15):
        email = recase_email(rng, email)
    return {"FirstName": first, "LastName": p.last, "Email": email,
            "Phone": pools.format_phone(p.phone, rng.randrange(pools.PHONE_STYLES)) if p.phone else None,
            "Company": company.legal_name if rng.random() < 0.4 else company.name,
            "Title": p.title or None}


def recase_email(rng: random.Random, email: str) -> str:
    """``john.smith@acme.com`` → ``John.Smith@Acme.com`` or all upper case."""
    if rng.random() < 0.2:
        return email.upper()
    local, _, host = email.partition("@")
    return ".".join(w.capitalize() for w in local.split(".")) + "@" + host.capitalize()
