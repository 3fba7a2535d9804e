"""Compare Salesforce with syncd's memory of it. Pure: values in, findings out.

Kinds of drift:

- ``edited``: a field syncd owns (computed fields, ``always_hubspot`` mappings, the external
  id) holds something other than what syncd last wrote. Fields under
  ``prefer_salesforce_unless_blank`` or ``two_way`` may be edited in Salesforce by design,
  so they are not drift.
- ``deleted``: a linked record no longer carries its HubSpot id (deleted, or the id cleared).
  A linked Lead that sales converted is not drift: the cycle follows it to its Contact.
- ``unlinked``: a record carries a HubSpot id syncd has no link for (written by another
  tool, or a lost state store).
- ``duplicates``: live records carrying syncd's id that share one email address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from syncd.models import CrmRecord

__all__ = ["DRIFT_KINDS", "AuditFindings", "Linked", "find_drift", "same_value"]

DRIFT_KINDS = ("edited", "deleted", "unlinked", "duplicates")
EXAMPLES = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Linked:
    """What syncd remembers about one HubSpot contact's record: its link and last write."""

    hubspot_id: str
    sf_object: str
    sf_id: str
    written: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFindings:
    """Counts, examples (record and contact ids only) and the contacts to sync again."""

    salesforce_records: Mapping[str, int]
    linked: int
    counts: Mapping[str, int]
    examples: Mapping[str, tuple[Mapping[str, Any], ...]]
    requeue: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {"salesforce_records": dict(self.salesforce_records), "linked": self.linked,
                "drift": dict(self.counts), "to_requeue": len(self.requeue),
                "examples": {k: [dict(e) for e in v] for k, v in self.examples.items()}}


def find_drift(records: Iterable[CrmRecord], linked: Iterable[Linked], *,
               external_id_field: str, owned: Mapping[str, frozenset[str]]) -> AuditFindings:
    """Findings for ``records`` (everything carrying ``external_id_field``) against
    ``linked``; ``owned`` names, per object, the fields whose edits are drift."""
    records = list(records)
    by_id = {r.id: r for r in records}
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in DRIFT_KINDS}
    links = {link.hubspot_id: link for link in linked}
    for link in links.values():
        _check_link(link, by_id.get(link.sf_id), external_id_field, owned, found)
    for record in records:
        hid = record.fields.get(external_id_field)
        if not _converted(record) and str(hid) not in links:
            found["unlinked"].append({"hubspot_id": str(hid), "record": record.id,
                                      "object": record.object})
    found["duplicates"] = _duplicates(records, external_id_field)
    per_object: dict[str, int] = defaultdict(int)
    for record in records:
        per_object[record.object] += 1
    requeue = frozenset(e["hubspot_id"] for kind in DRIFT_KINDS for e in found[kind])
    return AuditFindings(
        salesforce_records=dict(sorted(per_object.items())), linked=len(links),
        counts={kind: len(found[kind]) for kind in DRIFT_KINDS},
        examples={kind: tuple(found[kind][:EXAMPLES]) for kind in DRIFT_KINDS}, requeue=requeue)


def _check_link(link: Linked, record: CrmRecord | None, external_id_field: str,
                owned: Mapping[str, frozenset[str]], found: dict[str, list[dict[str, Any]]]) -> None:
    if record is None or str(record.fields.get(external_id_field)) != link.hubspot_id:
        found["deleted"].append({"hubspot_id": link.hubspot_id, "record": link.sf_id,
                                 "object": link.sf_object})
        return
    if _converted(record):
        return
    fields = sorted(name for name, value in link.written.items()
                    if name in owned.get(record.object, frozenset())
                    and not same_value(record.fields.get(name), value))
    if fields:
        found["edited"].append({"hubspot_id": link.hubspot_id, "record": record.id,
                                "object": record.object, "fields": fields})


def _converted(record: CrmRecord) -> bool:
    return record.object == "Lead" and bool(record.fields.get("IsConverted"))


def _duplicates(records: list[CrmRecord], external_id_field: str) -> list[dict[str, Any]]:
    groups: dict[str, list[CrmRecord]] = defaultdict(list)
    for record in records:
        email = str(record.fields.get("Email") or "").strip().lower()
        if email and not _converted(record):
            groups[email].append(record)
    out = []
    for group in sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0].id):
        for record in group:
            out.append({"hubspot_id": str(record.fields.get(external_id_field)), "record": record.id,
                        "object": record.object, "shares_email_with": sorted(r.id for r in group
                                                                             if r.id != record.id)})
    return out


def same_value(stored: Any, written: Any) -> bool:
    """Equal as Salesforce stores values: 42 == 42.0, datetimes by instant, '' == None."""
    if _blank(stored) and _blank(written):
        return True
    numbers = [v for v in (stored, written) if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers:
        try:
            return float(stored) == float(written)
        except (TypeError, ValueError):
            return False
    a, b = _instant(stored), _instant(written)
    if a is not None and b is not None:
        return a == b
    return stored == written


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) < 19 or value[10] != "T":
        return None
    text = value.replace("Z", "+00:00")
    if text[-5] in "+-" and text[-3] != ":":
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
