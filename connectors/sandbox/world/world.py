"""``build_world``: one seeded, reproducible HubSpot portal, Salesforce org and lead files."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from syncd.models import require_aware

from . import pools
from ._ids import DAY_MS, HOUR_MS, iso, to_ms
from .activity import HAND_RAISE_FORMS, record_activity
from .email_events import make_campaigns, mail_campaigns
from .hubspot_seed import OWNERS, PORTAL_ID, contact_record, form_ids, make_forms, make_owners, owner_id
from .offline import build_offline
from .people import Person, ascii_fold, make_companies, make_person
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


def build_world(seed: int = 0, contacts: int = 200, *, now: datetime, activity: float = 1.0) -> World:
    """Generate the world for ``seed``; same arguments, same dicts and file bytes.

    ``activity`` scales marketing volume (number of email campaigns and page views);
    at 1.0 a contact averages about 14 engagement records.
    """
    require_aware("now", now)
    if contacts < 1 or activity <= 0:
        raise ValueError("build_world: contacts must be ≥ 1 and activity > 0")
    now_ms, owners = to_ms(now), len(OWNERS)
    rng = random.Random(f"world:{seed}:people")
    companies = make_companies(rng, max(12, contacts // 4))
    taken: set[str] = set()
    people = [make_person(rng, key=f"P{i + 1:06d}", persona=name, companies=companies, taken=taken,
                          now_ms=now_ms, owners=owners)
              for i, name in enumerate(assign_personas(rng, contacts))]
    hs_ids = {p.key: str(1001 + i) for i, p in enumerate(people)}
    dups = _hubspot_duplicates(rng, people, taken, now_ms, first_id=1001 + len(people))
    sf_only = [make_person(rng, key=f"S{i + 1:06d}", persona="salesforce_only", companies=companies,
                           taken=taken, now_ms=now_ms, owners=owners)
               for i in range(max(3, round(contacts * SALESFORCE_ONLY_SHARE)))]

    rec = Recorder(rng=random.Random(f"world:{seed}:engagement"), portal_id=PORTAL_ID)
    targets = [_target(p, hs_ids[p.key], p.email, p.first, p.persona, p.created_ms, companies)
               for p in people]
    targets += [_target(p, hs_id, email, first, "passive_subscriber", created, companies)
                for p, hs_id, email, first, created in dups]
    mail_campaigns(rec, targets, campaigns := make_campaigns(
        now_ms=now_ms, count=max(1, round(8 * activity))), now_ms)
    record_activity(rec, targets, forms=form_ids(seed), now_ms=now_ms, views=activity)
    rec.finish()

    crng = random.Random(f"world:{seed}:contacts")
    records = [contact_record(crng, hs_id=hs_ids[p.key], person=p, company=companies[p.company],
                              email=p.email, first=p.first, last=p.last,
                              last_activity_ms=rec.last_activity.get(hs_ids[p.key], 0), now_ms=now_ms)
               for p in people]
    records += [_duplicate_record(crng, d, companies, rec, now_ms) for d in dups]
    hubspot = {"portal_id": PORTAL_ID, "owners": make_owners(now_ms - 800 * DAY_MS),
               "contacts": records, "forms": make_forms(seed, now_ms - 700 * DAY_MS),
               "form_submissions": rec.form_submissions, "email_events": rec.email_events,
               "events": rec.events, "engagements": rec.engagements}

    org = OrgBuilder(random.Random(f"world:{seed}:salesforce"), now_ms=now_ms, companies=companies)
    sf_truth = place_people(org, people + sf_only, hs_ids)
    files, offline_truth, newcomers = build_offline(
        random.Random(f"world:{seed}:offline"), people=people + sf_only, companies=companies,
        hs_ids=hs_ids, sf_ids=sf_truth["salesforce_ids"], taken=taken, now=now, owners=owners)
    truth = _truth(seed, people, sf_only, newcomers, dups, hs_ids, sf_truth, offline_truth,
                   campaigns, companies)
    return World(seed=seed, now=now, hubspot=hubspot, salesforce=org.seed(),
                 offline_files=files, truth=truth)


def _target(p: Person, hs_id: str, email, first, persona, created_ms, companies) -> Target:
    return Target(hs_id=hs_id, persona=persona, email=email, first=first, last=p.last,
                  company=companies[p.company].name, created_ms=created_ms,
                  owner_id=owner_id(p.owner) if p.owner is not None else None)


def _hubspot_duplicates(rng, people, taken, now_ms, *, first_id):
    """Some people signed up twice (a second contact with a free-mail address)."""
    chosen = [p for p in people if p.email and rng.random() < HUBSPOT_DUPLICATE_SHARE]
    out = []
    for n, p in enumerate(chosen):
        email = f"{ascii_fold(p.first)}.{ascii_fold(p.last)}{rng.randint(100, 999)}@{rng.choice(pools.FREE_MAIL)}"
        while email in taken:
            email = email.replace("@", "x@", 1)
        taken.add(email)
        nick = pools.NICKNAMES.get(p.first)
        first = rng.choice(nick) if nick and rng.random() < 0.5 else p.first
        created = p.created_ms + (now_ms - p.created_ms) * rng.randint(10, 90) // 100
        out.append((p, str(first_id + n), email, first, created))
    return out


def _duplicate_record(rng, dup, companies, rec, now_ms) -> dict:
    p, hs_id, email, first, created = dup
    record = contact_record(rng, hs_id=hs_id, person=p, company=companies[p.company], email=email,
                            first=first, last=p.last, stage="subscriber",
                            last_activity_ms=rec.last_activity.get(hs_id, 0), now_ms=now_ms)
    props = record["properties"]
    props.update(createdate=iso(created), hs_lead_status=None, hubspot_owner_id=None,
                 hs_email_optout="false")
    props["lastmodifieddate"] = max(props["lastmodifieddate"], iso(created + HOUR_MS))
    record.update(createdAt=props["createdate"], updatedAt=props["lastmodifieddate"])
    return record


def _truth(seed, people, sf_only, newcomers, dups, hs_ids, sf_truth, offline_truth, campaigns,
           companies) -> dict:
    hs_person = {hs_ids[p.key]: p.key for p in people}
    hs_person.update({hs_id: p.key for p, hs_id, *_ in dups})
    by_key = {p.key: p for p in people + sf_only + newcomers}
    dup_ids = {p.key: [hs_id] for p, hs_id, *_ in dups}
    forms = form_ids(seed)
    return {
        "personas": {hs: by_key[key].persona for hs, key in hs_person.items()},
        "hubspot_person": hs_person,
        "hubspot_duplicates": [[hs_ids[p.key], hs_id] for p, hs_id, *_ in dups],
        "people": {k: {"persona": p.persona, "email": p.email, "first": p.first, "last": p.last,
                       "company": companies[p.company].name,
                       "hubspot_ids": ([hs_ids[k]] if k in hs_ids else []) + dup_ids.get(k, []),
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
