"""``drift``: one step of realistic change between two sync cycles.

Applied to live emulator states through their mutation methods, deterministically from
(seed, step): a few contacts engage (page views, email opens, a call, a reply), one
submits a demo request, two brand-new contacts appear, one page view arrives late
(dated 2–26 hours before ``now``, so before the previous step for any cycle interval under
two hours), sales moves one Lead to "Working - Contacted" and one to "Nurture", and on
about one step in three two HubSpot contacts that are the same person get merged.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from syncd.models import require_aware

from . import pools
from ._ids import iso, to_ms
from .email_events import SITE
from .hubspot_seed import form_ids

__all__ = ["drift"]

DRIFT_CAMPAIGN_BASE = 3_200_000
_SALES_MOVES = (("Open - Not Contacted", "Working - Contacted"), ("Working - Contacted", "Nurture"))


def drift(hubspot_state, salesforce_state, *, seed: int, step: int, now: datetime) -> dict:
    """Apply step ``step`` of change to both states; return a summary of what changed."""
    require_aware("now", now)
    rng = random.Random(f"drift:{seed}:{step}")
    live = _live_contacts(hubspot_state, rng)
    summary = {"seed": seed, "step": step, "now": iso(to_ms(now)), "engaged": [],
               "demo_request": None, "new_contacts": [], "late_event": None,
               "lead_status_changes": [], "merged": None}
    for contact in live[:4]:
        summary["engaged"].append(_engage(hubspot_state, rng, contact, step, now))
    with_email = [c for c in live[4:] if c["properties"].get("email")]
    if with_email:
        summary["demo_request"] = _demo_request(hubspot_state, seed, with_email[0], now)
    for n in range(2):
        summary["new_contacts"].append(_new_contact(hubspot_state, rng, step, n))
    if len(live) > 5:
        late = now - timedelta(hours=2) - timedelta(minutes=rng.randrange(24 * 60))
        event_id = hubspot_state.record_event(
            live[5]["id"], "e_visited_page", occurred_at=late,
            properties={"hs_url": f"{SITE}/pricing", "hs_title": "pricing"})
        summary["late_event"] = {"contact_id": live[5]["id"], "event_id": event_id,
                                 "occurred_at": iso(to_ms(late))}
    summary["lead_status_changes"] = _sales_moves(salesforce_state, rng)
    if step % 3 == 2 or rng.random() < 0.2:
        summary["merged"] = _merge_duplicates(hubspot_state, rng)
    return summary


def _live_contacts(state, rng: random.Random, want: int = 12) -> list[dict]:
    """Up to ``want`` live contacts in a seeded random order."""
    ids = list(state.contacts.ids_in_order())
    picked: list[dict] = []
    for cid in rng.sample(ids, min(len(ids), want * 3)):
        found = state.contact(cid)
        if found and found["id"] == cid and not found["archived"]:
            picked.append(found)
        if len(picked) == want:
            break
    return picked


def _engage(state, rng: random.Random, contact: dict, step: int, now: datetime) -> dict:
    cid, email = contact["id"], contact["properties"].get("email")
    at = now - timedelta(minutes=rng.randrange(1, 15))
    kind = rng.choice(("page_view", "email_open", "call", "reply"))
    if kind == "email_open" and email:
        campaign = DRIFT_CAMPAIGN_BASE + step
        state.record_email_event(email, "OPEN", campaign_id=campaign, occurred_at=at, appId=113)
        state.record_email_event(email, "CLICK", campaign_id=campaign,
                                 occurred_at=at + timedelta(seconds=30), appId=113,
                                 url=f"{SITE}/pricing")
    elif kind in ("call", "reply"):
        props = ({"hs_call_direction": "OUTBOUND", "hs_call_status": "COMPLETED",
                  "hs_call_title": "Follow-up call"} if kind == "call" else
                 {"hs_email_direction": "INCOMING_EMAIL", "hs_email_subject": "Re: Next steps"})
        state.record_engagement("calls" if kind == "call" else "emails", [cid], props, occurred_at=at)
    else:
        kind = "page_view"
        page = rng.choice(("pricing", "blog/mql-vs-sql", "docs/salesforce-sync"))
        state.record_event(cid, "e_visited_page", occurred_at=at,
                           properties={"hs_url": f"{SITE}/{page}"})
    return {"contact_id": cid, "kind": kind, "occurred_at": iso(to_ms(at))}


def _demo_request(state, seed: int, contact: dict, now: datetime) -> dict:
    props = contact["properties"]
    form_id = form_ids(seed)["Demo request"]
    values = {"email": props["email"], "firstname": props.get("firstname") or "",
              "lastname": props.get("lastname") or "", "company": props.get("company") or "",
              "message": "Can we see a demo this week?"}
    at = now - timedelta(minutes=3)
    state.record_form_submission(form_id, values, occurred_at=at, page_url=f"{SITE}/demo")
    return {"contact_id": contact["id"], "email": props["email"], "form_id": form_id,
            "occurred_at": iso(to_ms(at))}


def _new_contact(state, rng: random.Random, step: int, n: int) -> str:
    first, last = rng.choice(pools.FIRST_NAMES), rng.choice(pools.LAST_NAMES)
    brand, kind = pools.company_name(rng)
    # A digit in the domain keeps it apart from every generated company domain.
    domain = f"{brand.lower()}{step}{n}.io"
    local = "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")
    return state.upsert_contact({"email": f"{local}@{domain}", "firstname": first, "lastname": last,
                                 "company": f"{brand} {kind}".strip(), "lifecyclestage": "lead",
                                 "jobtitle": rng.choice(pools.TITLES) or None})


def _sales_moves(state, rng: random.Random) -> list[dict]:
    # In a stable order by content, not by record id: leads a client created in another
    # order (after retries, say) get other ids, and the same seed must move the same people.
    leads = sorted((r for r in state.records("Lead") if not r.get("IsConverted")),
                   key=lambda r: ((r.get("Email") or "").lower(), r.get("LastName") or "", r["Id"]))
    moves = []
    for before, after in _SALES_MOVES:
        moved = {m["lead_id"] for m in moves}
        pool = [r for r in leads if r.get("Status") == before and r["Id"] not in moved]
        if pool:
            lead = rng.choice(pool)
            state.update("Lead", lead["Id"], {"Status": after})
            moves.append({"lead_id": lead["Id"], "from": before, "to": after})
    return moves


def _merge_duplicates(state, rng: random.Random) -> dict | None:
    """Merge one pair of live contacts that are the same person (same last name and company)."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for cid in state.contacts.ids_in_order():
        c = state.contact(cid)
        if c and c["id"] == cid and not c["archived"]:
            p = c["properties"]
            key = ((p.get("lastname") or "").lower(), (p.get("company") or "").lower())
            if all(key):
                groups.setdefault(key, []).append(c)
    pairs = [(g[0], other) for g in groups.values() for other in g[1:] if _same_first(g[0], other)]
    if not pairs:
        return None
    primary, secondary = rng.choice(pairs)
    state.merge_contacts(primary["id"], secondary["id"])
    return {"primary": primary["id"], "secondary": secondary["id"]}


def _same_first(a: dict, b: dict) -> bool:
    fa, fb = a["properties"].get("firstname") or "", b["properties"].get("firstname") or ""
    return fa == fb or fb in pools.NICKNAMES.get(fa, ()) or fa in pools.NICKNAMES.get(fb, ())
