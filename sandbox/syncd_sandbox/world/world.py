"""``build_world``: one seeded, reproducible HubSpot portal, Salesforce org and lead files.

Each part draws from its own ``random.Random`` stream named after the seed, so changing
how one part is generated leaves the others' bytes alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from syncd.models import require_aware

from . import pools
from ._ids import DAY_MS, HOUR_MS, iso, to_ms
from .activity import HAND_RAISE_FORMS, record_activity
from .email_events import Campaign, make_campaigns, mail_campaigns
from .hubspot_seed import (CONTACT_PROPERTIES, OWNERS, PORTAL_ID, contact_record, form_ids,
                           make_forms, make_owners, owner_id)
from .offline import build_offline
from .people import Company, Person, ascii_fold, make_companies, make_person
from .personas import assign_personas
from .recorder import Recorder, Target
from .salesforce_people import place_people
from .salesforce_seed import OrgBuilder

__all__ = ["World", "build_world"]

HUBSPOT_DUPLICATE_SHARE = 0.01
SALESFORCE_ONLY_SHARE = 0.06


@dataclass(frozen=True, slots=True, kw_only=True)
class World:
    """A generated world. ``hubspot``/``salesforce`` are the emulators' seed dicts."""

    seed: int
    now: datetime
    hubspot: dict
    salesforce: dict
    offline_files: dict[str, bytes]
    truth: dict

    @property
    def engagement_count(self) -> int:
        """Email events + events v3 + form submissions + engagement objects."""
        hs = self.hubspot
        return (len(hs["email_events"]) + len(hs["events"]) + len(hs["form_submissions"])
                + sum(len(v) for v in hs["engagements"].values()))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Duplicate:
    """A person's second HubSpot contact (signed up again with a free-mail address)."""

    person: Person
    hs_id: str
    email: str
    first: str
    created_ms: int


@dataclass(frozen=True, slots=True, kw_only=True)
class _Cast:
    """Everyone in the world, before any system's records are written."""

    companies: list[Company]
    people: list[Person]          # each has a HubSpot contact
    hs_ids: dict[str, str]        # person key → HubSpot contact id
    duplicates: list[_Duplicate]
    sf_only: list[Person]
    taken: set[str]               # every email in use


def build_world(seed: int = 0, contacts: int = 200, *, now: datetime, activity: float = 1.0) -> World:
    """Generate the world for ``seed``; same arguments, same dicts and file bytes.

    ``activity`` scales marketing volume (number of email campaigns and page views);
    at 1.0 a contact averages about 15 engagement records.
    """
    require_aware("now", now)
    if contacts < 1 or activity <= 0:
        raise ValueError(f"build_world: contacts must be ≥ 1 and activity > 0 "
                         f"(got contacts={contacts}, activity={activity})")
    now_ms = to_ms(now)
    cast = _cast(random.Random(f"world:{seed}:people"), contacts, now_ms)
    rec = Recorder(rng=random.Random(f"world:{seed}:engagement"), portal_id=PORTAL_ID)
    campaigns = make_campaigns(now_ms=now_ms, count=max(1, round(8 * activity)))
    targets = _targets(cast)
    mail_campaigns(rec, targets, campaigns, now_ms)
    record_activity(rec, targets, forms=form_ids(seed), now_ms=now_ms, views=activity)
    rec.finish()
    hubspot = _hubspot(seed, cast, rec, now_ms)
    org = OrgBuilder(random.Random(f"world:{seed}:salesforce"), now_ms=now_ms, companies=cast.companies)
    sf_truth = place_people(org, cast.people + cast.sf_only, cast.hs_ids)
    files, offline_truth, newcomers = build_offline(
        random.Random(f"world:{seed}:offline"), people=cast.people + cast.sf_only,
        companies=cast.companies, hs_ids=cast.hs_ids, sf_ids=sf_truth["salesforce_ids"],
        taken=cast.taken, now=now, owners=len(OWNERS))
    truth = _truth(seed, cast, newcomers, sf_truth, offline_truth, campaigns)
    return World(seed=seed, now=now, hubspot=hubspot, salesforce=org.seed(),
                 offline_files=files, truth=truth)


def _cast(rng: random.Random, contacts: int, now_ms: int) -> _Cast:
    companies = make_companies(rng, max(12, contacts // 4))
    taken: set[str] = set()

    def person(key: str, persona: str) -> Person:
        return make_person(rng, key=key, persona=persona, companies=companies, taken=taken,
                           now_ms=now_ms, owners=len(OWNERS))

    people = [person(f"P{i + 1:06d}", name) for i, name in enumerate(assign_personas(rng, contacts))]
    duplicates = _hubspot_duplicates(rng, people, taken, now_ms, first_id=1001 + len(people))
    sf_only = [person(f"S{i + 1:06d}", "salesforce_only")
               for i in range(max(3, round(contacts * SALESFORCE_ONLY_SHARE)))]
    return _Cast(companies=companies, people=people,
                 hs_ids={p.key: str(1001 + i) for i, p in enumerate(people)},
                 duplicates=duplicates, sf_only=sf_only, taken=taken)


def _hubspot_duplicates(rng, people, taken, now_ms, *, first_id) -> list[_Duplicate]:
    chosen = [p for p in people if p.email and rng.random() < HUBSPOT_DUPLICATE_SHARE]
    out = []
    for n, p in enumerate(chosen):
        host = rng.choice(pools.FREE_MAIL)
        email = f"{ascii_fold(p.first)}.{ascii_fold(p.last)}{rng.randint(100, 999)}@{host}"
        while email in taken:
            email = email.replace("@", "x@", 1)
        taken.add(email)
        nick = pools.NICKNAMES.get(p.first)
        out.append(_Duplicate(
            person=p, hs_id=str(first_id + n), email=email,
            first=rng.choice(nick) if nick and rng.random() < 0.5 else p.first,
            created_ms=p.created_ms + (now_ms - p.created_ms) * rng.randint(10, 90) // 100))
    return out


def _targets(cast: _Cast) -> list[Target]:
    """Engagement targets; a duplicate contact behaves like a passive subscriber."""
    def target(p: Person, hs_id, email, first, persona, created_ms) -> Target:
        return Target(hs_id=hs_id, persona=persona, email=email, first=first, last=p.last,
                      company=cast.companies[p.company].name, created_ms=created_ms,
                      owner_id=owner_id(p.owner) if p.owner is not None else None)

    return ([target(p, cast.hs_ids[p.key], p.email, p.first, p.persona, p.created_ms)
             for p in cast.people]
            + [target(d.person, d.hs_id, d.email, d.first, "passive_subscriber", d.created_ms)
               for d in cast.duplicates])


def _hubspot(seed: int, cast: _Cast, rec: Recorder, now_ms: int) -> dict:
    rng = random.Random(f"world:{seed}:contacts")
    records = [contact_record(rng, hs_id=cast.hs_ids[p.key], person=p,
                              company=cast.companies[p.company], email=p.email, first=p.first,
                              last=p.last, last_activity_ms=rec.last_activity.get(cast.hs_ids[p.key], 0),
                              now_ms=now_ms)
               for p in cast.people]
    records += [_duplicate_record(rng, d, cast.companies, rec, now_ms) for d in cast.duplicates]
    return {"portal_id": PORTAL_ID, "owners": make_owners(now_ms - 800 * DAY_MS),
            "contact_properties": CONTACT_PROPERTIES,
            "contacts": records, "forms": make_forms(seed, now_ms - 700 * DAY_MS),
            "form_submissions": rec.form_submissions, "email_events": rec.email_events,
            "events": rec.events, "engagements": rec.engagements}


def _duplicate_record(rng, d: _Duplicate, companies, rec: Recorder, now_ms: int) -> dict:
    record = contact_record(rng, hs_id=d.hs_id, person=d.person, company=companies[d.person.company],
                            email=d.email, first=d.first, last=d.person.last, stage="subscriber",
                            last_activity_ms=rec.last_activity.get(d.hs_id, 0), now_ms=now_ms)
    props = record["properties"]
    props.update(createdate=iso(d.created_ms), hs_lead_status=None, hubspot_owner_id=None,
                 hs_email_optout="false")
    props["lastmodifieddate"] = max(props["lastmodifieddate"], iso(d.created_ms + HOUR_MS))
    record.update(createdAt=props["createdate"], updatedAt=props["lastmodifieddate"])
    return record


def _truth(seed: int, cast: _Cast, newcomers: list[Person], sf_truth: dict, offline_truth: dict,
           campaigns: list[Campaign]) -> dict:
    hs_person = {cast.hs_ids[p.key]: p.key for p in cast.people}
    hs_person.update({d.hs_id: d.person.key for d in cast.duplicates})
    by_key = {p.key: p for p in cast.people + cast.sf_only + newcomers}
    hs_of: dict[str, list[str]] = {k: [i] for k, i in cast.hs_ids.items()}
    for d in cast.duplicates:
        hs_of[d.person.key].append(d.hs_id)
    forms = form_ids(seed)
    return {
        "personas": {hs: by_key[key].persona for hs, key in hs_person.items()},
        "hubspot_person": hs_person,
        "hubspot_duplicates": [[cast.hs_ids[d.person.key], d.hs_id] for d in cast.duplicates],
        "people": {k: {"persona": p.persona, "email": p.email, "first": p.first, "last": p.last,
                       "company": cast.companies[p.company].name, "hubspot_ids": hs_of.get(k, []),
                       "salesforce_ids": sf_truth["salesforce_ids"].get(k, [])}
                   for k, p in by_key.items()},
        "salesforce_person": sf_truth["salesforce_person"],
        "salesforce_duplicates": sf_truth["salesforce_duplicates"],
        "converted_leads": sf_truth["converted_leads"],
        "offline": offline_truth,
        "forms": forms,
        "hand_raise_forms": [forms[n] for n in HAND_RAISE_FORMS],
        "campaigns": [{"id": c.id, "name": c.name, "sent": iso(c.sent_ms)} for c in campaigns],
    }
