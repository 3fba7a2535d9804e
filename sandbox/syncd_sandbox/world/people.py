"""The people and companies behind every record, before any system's view of them.

A ``Person`` is the truth: one human, one persona, one canonical email (or none). HubSpot
contacts, Salesforce Leads/Contacts and offline rows are each a view of a person, some
imperfect, so tests can check whether reconciliation found the person again.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from . import pools
from ._ids import DAY_MS

__all__ = ["Company", "Person", "make_companies", "make_person", "ascii_fold"]

_EMPLOYEES = (3, 8, 15, 32, 48, 75, 140, 320, 650, 1400, 4800, 12000)
# Days before now a persona's contact record was created (fewest, most).
_CREATED_DAYS = {
    "customer": (300, 900), "churned_customer": (330, 900), "recycled": (200, 420),
    "sales_working": (30, 250), "active_evaluator": (1, 200), "disqualified": (45, 300),
}
_OWNED_SHARE = {"sales_working": 1.0, "customer": 1.0, "churned_customer": 1.0,
                "recycled": 1.0, "disqualified": 1.0, "active_evaluator": 0.5}


@dataclass(frozen=True, slots=True, kw_only=True)
class Company:
    """A company people work at; ``domain`` is what their work emails end with."""

    name: str
    legal_name: str
    domain: str
    website: str
    industry: int
    employees: int
    country: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """One human. ``email`` is canonical lower case; ``company`` indexes the company list."""

    key: str
    persona: str
    first: str
    last: str
    email: str | None
    phone: tuple[str, str, str, str] | None
    company: int
    title: str
    owner: int | None
    created_ms: int


def ascii_fold(text: str) -> str:
    """``"Sørensen"`` → ``"sorensen"``: what a mail admin makes of a name."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def make_companies(rng: random.Random, count: int) -> list[Company]:
    """``count`` companies with distinct domains."""
    seen: set[str] = set()
    out: list[Company] = []
    while len(out) < count:
        brand, kind = pools.company_name(rng)
        country = rng.randrange(len(pools.COUNTRIES))
        tld, legal = pools.COUNTRIES[country][5], rng.choice(pools.COUNTRIES[country][6])
        domain = f"{(brand + kind).lower()}.{tld}"
        if domain in seen:
            domain = f"{brand.lower()}-{kind.lower() or 'group'}{len(out)}.{tld}"
        seen.add(domain)
        name = f"{brand} {kind}".strip()
        out.append(Company(
            name=name, legal_name=f"{name} {legal}", domain=domain,
            website=f"https://www.{domain}" if rng.random() < 0.85 else f"http://{domain}/",
            industry=rng.randrange(len(pools.INDUSTRIES)), employees=rng.choice(_EMPLOYEES),
            country=country))
    return out


def make_person(rng: random.Random, *, key: str, persona: str, companies: list[Company],
                taken: set[str], now_ms: int, owners: int, accented: float = 0.06) -> Person:
    """A new person of ``persona``; ``taken`` holds emails in use and is updated."""
    fancy = rng.random() < accented
    first = rng.choice(pools.ACCENTED_FIRST if fancy else pools.FIRST_NAMES)
    last = rng.choice(pools.ACCENTED_LAST if fancy else pools.LAST_NAMES)
    company = rng.randrange(len(companies))
    email = _email(rng, first, last, companies[company].domain, persona, taken)
    fewest, most = _CREATED_DAYS.get(persona, (10, 600))
    owned = rng.random() < _OWNED_SHARE.get(persona, 0.1)
    title = "Student" if persona == "disqualified" and rng.random() < 0.3 else rng.choice(pools.TITLES)
    return Person(
        key=key, persona=persona, first=first, last=last, email=email,
        phone=pools.phone_number(rng, companies[company].country) if rng.random() < 0.8 else None,
        company=company, title=title, owner=rng.randrange(owners) if owned else None,
        created_ms=now_ms - rng.randint(fewest * DAY_MS, most * DAY_MS))


def _email(rng: random.Random, first: str, last: str, domain: str, persona: str,
           taken: set[str]) -> str | None:
    roll = rng.random()
    if roll < 0.02:
        return None
    f, l = ascii_fold(first), ascii_fold(last)
    free = 0.35 if persona == "disqualified" else 0.12
    if roll < 0.04:
        local, host = rng.choice(pools.ROLE_LOCALS), domain
    elif roll < 0.04 + free:
        local, host = f"{f}.{l}{rng.randint(1, 99)}", rng.choice(pools.FREE_MAIL)
    else:
        local = rng.choice((f"{f}.{l}", f"{f[0]}{l}", f, f"{f}{l[0]}", f"{f}_{l}"))
        host = domain
    email, n = f"{local}@{host}", 1
    while email in taken:
        n += 1
        email = f"{f}.{l}{n}@{host}"
    taken.add(email)
    return email
