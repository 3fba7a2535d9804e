"""The engagement events a portal should yield, computed from a full portal dump (the
seed format plus ``merged``/``gdpr_deleted``), to audit a pull for completeness."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .normalize import EMAIL_KINDS, _unsubscribe

__all__ = ["audit", "expected_event_ids"]

STREAM_TYPES = ("emails", "calls", "meetings", "notes")


def _email_index(dump: Mapping[str, Any]) -> set[str]:
    emails = set()
    for c in dump["contacts"]:  # archived ones too: their earlier events were real
        p = c["properties"]
        emails |= {e.lower() for e in [p.get("email"), *str(p.get("hs_additional_emails") or "").split(";")] if e}
    return emails


def expected_event_ids(dump: Mapping[str, Any]) -> set[str]:
    """Ids of every event a complete pull of ``dump`` emits (archived contacts included
    for behavioural events and engagement objects, as HubSpot keeps them)."""
    emails = _email_index(dump)
    out = {f"email_events:{e['id']}" for e in dump["email_events"]
           if (e["type"] in EMAIL_KINDS or (e["type"] == "STATUSCHANGE" and _unsubscribe(e)))
           and str(e.get("recipient", "")).lower() in emails}
    out |= {f"events:{e['id']}" for e in dump["events"]}
    for s in dump["form_submissions"]:
        values = {v["name"]: v["value"] for v in s["values"]}
        if str(values.get("email") or "").lower() in emails:
            out.add(f"form_submissions:{s['conversionId']}")
    for kind in STREAM_TYPES:
        for row in dump["engagements"].get(kind, []):
            ids = row.get("contact_ids") or []
            out |= {f"{kind}:{row['id']}" + (f"-{c}" if len(ids) > 1 else "") for c in ids}
    return out


def audit(emitted_ids: Iterable[str], dump: Mapping[str, Any]) -> dict[str, int]:
    """Missed, duplicated and unexpected counts of ``emitted_ids`` against ``dump``."""
    seen: dict[str, int] = {}
    for i in emitted_ids:
        seen[i] = seen.get(i, 0) + 1
    expected = expected_event_ids(dump)
    return {"expected": len(expected), "emitted": sum(seen.values()),
            "missed": len(expected - seen.keys()), "duplicated": sum(n - 1 for n in seen.values()),
            "unexpected": len(seen.keys() - expected)}
