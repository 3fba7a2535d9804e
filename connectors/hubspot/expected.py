"""The engagement events a portal should yield, computed from a full portal dump (the
seed format plus ``merged``/``gdpr_deleted``), to audit a pull for completeness.

Events of contacts that are archived by now are optional: a pull reports the contact as
deleted, and whether it read the contact's last events before the archive depends on
timing, so they count neither as missed nor as unexpected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .normalize import EMAIL_KINDS, _unsubscribe

__all__ = ["audit", "expected_event_ids"]

STREAM_TYPES = ("emails", "calls", "meetings", "notes")


def _emails(contact: Mapping[str, Any]) -> set[str]:
    p = contact["properties"]
    return {e.lower() for e in [p.get("email"), *str(p.get("hs_additional_emails") or "").split(";")] if e}


def _ids(dump: Mapping[str, Any], live: set[str], archived: set[str], live_ids: set[str],
         archived_ids: set[str]) -> tuple[set[str], set[str]]:
    required, optional = set(), set()

    def put(event_id: str, *, by_email: str | None = None, by_id: str | None = None) -> None:
        if (by_email is not None and by_email in live) or (by_id is not None and by_id in live_ids):
            required.add(event_id)
        elif (by_email is not None and by_email in archived) or (by_id is not None and by_id in archived_ids):
            optional.add(event_id)
    for e in dump["email_events"]:
        if e["type"] in EMAIL_KINDS or (e["type"] == "STATUSCHANGE" and _unsubscribe(e)):
            put(f"email_events:{e['id']}", by_email=str(e.get("recipient", "")).lower())
    for e in dump["events"]:
        put(f"events:{e['id']}", by_id=str(e["objectId"]))
    for s in dump["form_submissions"]:
        values = {v["name"]: v["value"] for v in s["values"]}
        put(f"form_submissions:{s['conversionId']}", by_email=str(values.get("email") or "").lower())
    for kind in STREAM_TYPES:
        for row in dump["engagements"].get(kind, []):
            ids = row.get("contact_ids") or []
            for c in ids:
                put(f"{kind}:{row['id']}" + (f"-{c}" if len(ids) > 1 else ""), by_id=str(c))
    return required, optional


def expected_event_ids(dump: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """(required, optional) ids of the events a complete pull of ``dump`` emits."""
    live = [c for c in dump["contacts"] if not c.get("archived")]
    gone = [c for c in dump["contacts"] if c.get("archived")]
    return _ids(dump, set().union(*map(_emails, live)), set().union(*map(_emails, gone)),
                {c["id"] for c in live}, {c["id"] for c in gone})


def audit(emitted_ids: Iterable[str], dump: Mapping[str, Any]) -> dict[str, Any]:
    """Missed, duplicated and unexpected counts of ``emitted_ids`` against ``dump``."""
    seen: dict[str, int] = {}
    for i in emitted_ids:
        seen[i] = seen.get(i, 0) + 1
    required, optional = expected_event_ids(dump)
    missed = required - seen.keys()
    by_stream: dict[str, int] = {}
    for i in missed:
        by_stream[i.split(":")[0]] = by_stream.get(i.split(":")[0], 0) + 1
    out: dict[str, Any] = {"expected": len(required), "emitted": sum(seen.values()), "missed": len(missed),
                           "duplicated": sum(n - 1 for n in seen.values()),
                           "unexpected": len(seen.keys() - required - optional)}
    if by_stream:
        out["missed_by_stream"] = dict(sorted(by_stream.items()))
        out["missed_sample"] = sorted(missed)[:5]
    return out
