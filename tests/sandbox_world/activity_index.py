"""Test helper: every contact's engagement as (epoch seconds, kind) pairs."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

NOT_ACTIVITY = {"SENT", "DELIVERED"}


def ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def activity_by_contact(hubspot: dict) -> dict[str, list[tuple[float, str]]]:
    """Contact id → its signals (sends and deliveries left out: they are not the contact's doing)."""
    by_email = {(c["properties"]["email"] or "").lower(): c["id"] for c in hubspot["contacts"]}
    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for e in hubspot["email_events"]:
        if e["type"] not in NOT_ACTIVITY:
            out[by_email[e["recipient"].lower()]].append((e["created"] / 1000, e["type"]))
    for e in hubspot["events"]:
        out[e["objectId"]].append((ts(e["occurredAt"]), e["eventType"]))
    for f in hubspot["form_submissions"]:
        email = next(v["value"] for v in f["values"] if v["name"] == "email")
        out[by_email[email.lower()]].append((f["submittedAt"] / 1000, f["formGuid"]))
    for kind, rows in hubspot["engagements"].items():
        for r in rows:
            for cid in r["contact_ids"]:
                out[cid].append((ts(r["createdAt"]), kind))
    return out
