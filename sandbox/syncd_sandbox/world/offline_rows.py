"""The rows of the offline lead files, before any file format: who, and how badly typed.

Each row is a view of a person (or nobody): existing people from HubSpot and/or
Salesforce, new people, repeats of an earlier row in the same file, rows that must be
rejected (no name and no email) and blank rows. ``mess`` lists what was done to a row so
tests can check that an importer copes with each kind.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import pools
from .people import Company, Person

__all__ = ["Row", "make_rows", "typo"]

# kind → share of a file's rows; the rest are people already in a CRM
_SHARES = (("blank", 0.03), ("reject", 0.04), ("duplicate", 0.06), ("new", 0.37))


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One data row: ``values`` uses canonical keys (first, last, email, phone, company, title)."""

    kind: str
    person: Person | None = None
    duplicate_of: int | None = None
    values: dict = field(default_factory=dict)
    mess: tuple[str, ...] = ()


def typo(rng: random.Random, email: str) -> str:
    """A plausible typo in ``email``: swapped letters, a dropped letter, or a mistyped host."""
    local, _, host = email.partition("@")
    if host in ("gmail.com", "yahoo.com") and rng.random() < 0.5:
        return f"{local}@{'gmial.com' if host == 'gmail.com' else 'yaho.com'}"
    if len(local) > 3:
        # Swapping two equal letters would change nothing, so only unequal pairs qualify.
        pairs = [i for i in range(len(local) - 1) if local[i] != local[i + 1]]
        if pairs and rng.random() < 0.5:
            i = rng.choice(pairs)
            local = local[:i] + local[i + 1] + local[i] + local[i + 2:]
        else:
            i = rng.randrange(len(local))
            local = local[:i] + local[i + 1:]
        return f"{local}@{host}"
    return f"{local}@{host.replace('.', ',', 1)}"


def _misspell(rng: random.Random, name: str) -> str | None:
    """``name`` with two neighbouring letters swapped after the first (Jhonson → Johsnon)."""
    pairs = [i for i in range(1, len(name) - 1)
             if name[i] != name[i + 1] and name[i:i + 2].isalpha()]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def make_rows(rng: random.Random, *, count: int, existing: list[Person], new_person,
              companies: list[Company]) -> list[Row]:
    """``count`` rows; ``new_person()`` makes (and registers) a person no CRM knows yet."""
    rows: list[Row] = []
    for _ in range(count):
        roll, kind = rng.random(), "existing"
        for name, share in _SHARES:
            if roll < share:
                kind = name
                break
            roll -= share
        if kind == "duplicate" and not any(r.person for r in rows):
            kind = "existing"
        rows.append(_row(rng, kind, rows, existing, new_person, companies))
    return rows


def _row(rng, kind, rows, existing, new_person, companies) -> Row:
    if kind == "blank":
        return Row(kind="blank")
    if kind == "reject":
        company = companies[rng.randrange(len(companies))]
        phone = pools.format_phone(pools.phone_number(rng, company.country), 0)
        return Row(kind="reject", mess=("no_name_no_email",),
                   values={"company": company.name, "notes": "Stopped by the booth", "phone": phone})
    if kind == "duplicate":
        earlier = rng.choice([i for i, r in enumerate(rows) if r.person])
        person = rows[earlier].person
        values, mess = _messy_values(rng, person, companies)
        return Row(kind="duplicate", person=person, duplicate_of=earlier + 1, values=values, mess=mess)
    person = new_person() if kind == "new" else rng.choice(existing)
    values, mess = _messy_values(rng, person, companies)
    return Row(kind=kind, person=person, values=values, mess=mess)


def _messy_values(rng: random.Random, p: Person,
                  companies: list[Company]) -> tuple[dict, tuple[str, ...]]:
    mess: list[str] = []
    first, last, email = p.first, p.last, p.email or ""
    nick = pools.NICKNAMES.get(first)
    if nick and rng.random() < 0.35:
        first = rng.choice(nick)
        mess.append("nickname")
    if rng.random() < 0.05:
        last = last.upper()
        mess.append("upper_case_name")
    elif rng.random() < 0.05 and (wrong := _misspell(rng, last)):
        last = wrong
        mess.append("typo_name")
    if not email or rng.random() < 0.08:
        email = ""
        mess.append("missing_email")
    elif rng.random() < 0.06:
        email = typo(rng, email)
        mess.append("typo_email")
    elif rng.random() < 0.1:
        email = email.upper() if rng.random() < 0.3 else email.capitalize()
        mess.append("email_case")
    phone = ""
    if p.phone and rng.random() < 0.7:
        phone = pools.format_phone(p.phone, rng.randrange(pools.PHONE_STYLES))
    values = {"first": first, "last": last, "email": email, "phone": phone,
              "company": companies[p.company].name, "title": p.title}
    if rng.random() < 0.15:
        key = rng.choice(("first", "last", "email", "company"))
        if values[key]:
            values[key] += rng.choice((" ", "  ", "\t"))
            mess.append("trailing_whitespace")
    return values, tuple(mess)
