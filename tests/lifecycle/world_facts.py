"""Turn a seeded sandbox world into what the engine reads: EngagementEvents and ContactFacts.

The HubSpot connector does this from the API; here it is done from the seed dict, so the
default scoring.toml can be checked against the personas the world says each contact has.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from syncd.lifecycle import ContactFacts
from syncd.models import EngagementEvent, EngagementKind as K

EMAIL_KINDS = {"SENT": K.EMAIL_SENT, "DELIVERED": K.EMAIL_DELIVERED, "OPEN": K.EMAIL_OPEN,
               "CLICK": K.EMAIL_CLICK, "BOUNCE": K.EMAIL_BOUNCE,
               "SPAMREPORT": K.EMAIL_SPAM_REPORT}
ENGAGEMENT_KINDS = {"calls": K.CALL, "meetings": K.MEETING, "notes": K.NOTE}


def _ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def world_events(hubspot: dict[str, Any]) -> dict[str, list[EngagementEvent]]:
    """Every engagement record of the seed as events, grouped by HubSpot contact id."""
    by_email = {(c["properties"].get("email") or "").lower(): c["id"] for c in hubspot["contacts"]}
    forms = {f["id"]: f["name"] for f in hubspot["forms"]}
    out: dict[str, list[EngagementEvent]] = defaultdict(list)

    def add(cid, stream, native, kind, at, **attrs):
        if cid is not None:
            out[cid].append(EngagementEvent(id=f"{stream}:{native}", contact_id=cid, kind=kind,
                                            occurred_at=at, attributes=attrs))

    for e in hubspot["email_events"]:
        kind = EMAIL_KINDS.get(e["type"])
        if e["type"] == "STATUSCHANGE" and e.get("portalSubscriptionStatus") == "UNSUBSCRIBED":
            kind = K.EMAIL_UNSUBSCRIBE
        if kind is not None:
            add(by_email.get(e["recipient"].lower()), "email", e["id"], kind, _ms(e["created"]),
                campaign_id=str(e["emailCampaignId"]), **({"url": e["url"]} if "url" in e else {}))
    for s in hubspot["form_submissions"]:
        email = next((v["value"] for v in s["values"] if v["name"] == "email"), "")
        add(by_email.get(email.lower()), "form", s["conversionId"], K.FORM_SUBMISSION,
            _ms(s["submittedAt"]), form_id=s["formGuid"], form_name=forms.get(s["formGuid"]),
            url=s.get("pageUrl"))
    for e in hubspot["events"]:
        at = _iso(e["occurredAt"])
        if e["eventType"] == "e_visited_page":
            add(e["objectId"], "event", e["id"], K.PAGE_VIEW, at, url=e["properties"]["hs_url"])
        else:
            add(e["objectId"], "event", e["id"], K.CUSTOM_EVENT, at, event_name=e["eventType"])
    for kind_name, records in hubspot["engagements"].items():
        for r in records:
            props, at = r["properties"], _iso(r["properties"]["hs_timestamp"])
            if kind_name == "emails":
                direction = props.get("hs_email_direction")
                kind = K.EMAIL_REPLY if direction == "INCOMING_EMAIL" else K.EMAIL_SENT
            elif kind_name in ENGAGEMENT_KINDS:
                kind, direction = ENGAGEMENT_KINDS[kind_name], None
            else:
                continue                                  # tasks are sales' to-dos, not signals
            for cid in r["contact_ids"]:
                add(cid, kind_name, r["id"], kind, at, direction=direction)
    return out


def world_facts(world) -> dict[str, ContactFacts]:
    """Contact facts per HubSpot contact: properties plus what Salesforce knows of the person."""
    sf, truth = world.salesforce, world.truth
    records = defaultdict(list)
    for record_id, person in truth["salesforce_person"].items():
        records[person].append(record_id)
    leads = {lead["Id"]: lead for lead in sf["leads"]}
    contacts = {c["Id"]: c for c in sf["contacts"]}
    opps = defaultdict(list)
    for o in sf["opportunities"]:
        opps[o["AccountId"]].append(o)
    out = {}
    for c in world.hubspot["contacts"]:
        ids = records.get(truth["hubspot_person"].get(c["id"]), [])
        person_leads = [leads[i] for i in ids if i in leads]
        open_leads = [lead for lead in person_leads if not lead["IsConverted"]]
        accounts = {contacts[i]["AccountId"] for i in ids if i in contacts}
        accounts |= {lead["ConvertedAccountId"] for lead in person_leads if lead["IsConverted"]}
        deals = sorted((o for a in accounts for o in opps.get(a, ())), key=lambda o: o["CloseDate"])
        closed = [o for o in deals if o["IsClosed"]]
        won = any(o["IsWon"] for o in closed)
        out[c["id"]] = ContactFacts(
            contact_id=c["id"], properties=c["properties"],
            lead_status=open_leads[0]["Status"] if open_leads
            else c["properties"].get("hs_lead_status"),
            is_converted=any(lead["IsConverted"] for lead in person_leads),
            has_open_opportunity=any(not o["IsClosed"] for o in deals), has_closed_won=won,
            churned=won and bool(closed) and not closed[-1]["IsWon"])
    return out
