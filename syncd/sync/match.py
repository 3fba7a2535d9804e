"""Decide, for each HubSpot contact, which Salesforce record is the same person.

Deterministic keys only, in order of trust: an existing link (id map), the HubSpot id
already stored in the external id field, then the canonical email. A converted Lead is
followed to its Contact; a Contact wins over an open Lead. Several equally good candidates
never get written: the contact goes to the review queue with the candidates listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from syncd.models import CrmRecord, HubSpotContact

__all__ = ["MatchDecision", "canonical_email", "match_contacts"]


def canonical_email(value: str | None) -> str | None:
    """Lower-cased, trimmed email; ``None`` for blank or obviously invalid values."""
    if not value:
        return None
    email = value.strip().lower()
    local, sep, domain = email.partition("@")
    return email if sep and local and "." in domain else None


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchDecision:
    hubspot_id: str
    action: Literal["link", "create", "review", "skip"]
    record: CrmRecord | None = None
    matched_by: str | None = None
    reason: str = ""
    candidates: tuple[str, ...] = ()


class _Index:
    def __init__(self, records: Iterable[CrmRecord], external_id_field: str) -> None:
        self.by_id: dict[str, CrmRecord] = {}
        self.by_email: dict[str, list[CrmRecord]] = defaultdict(list)
        self.by_external: dict[str, list[CrmRecord]] = defaultdict(list)
        for rec in records:
            self.by_id[rec.id] = rec
            if (email := canonical_email(rec.fields.get("Email"))) is not None:
                self.by_email[email].append(rec)
            if ext := rec.fields.get(external_id_field):
                self.by_external[str(ext)].append(rec)

    def follow(self, rec: CrmRecord) -> CrmRecord | None:
        """A converted Lead stands for its Contact; ``None`` if that Contact was not read."""
        if rec.object == "Lead" and rec.fields.get("IsConverted"):
            return self.by_id.get(rec.fields.get("ConvertedContactId") or "")
        return rec


def _best(candidates: Sequence[CrmRecord]) -> list[CrmRecord]:
    contacts = [r for r in candidates if r.object == "Contact"]
    return contacts or list(candidates)


def _decide(contact: HubSpotContact, linked: tuple[str, str] | None, index: _Index,
            external_id_field: str) -> MatchDecision:
    hid = contact.id
    if linked and (rec := index.by_id.get(linked[1])) and (live := index.follow(rec)):
        return MatchDecision(hubspot_id=hid, action="link", record=live, matched_by="id_map")
    by_ext = _unique({r.id: r for r in filter(None, map(index.follow, index.by_external.get(hid, [])))})
    if len(by_ext) == 1:
        return MatchDecision(hubspot_id=hid, action="link", record=by_ext[0], matched_by=external_id_field)
    email = canonical_email(contact.email)
    if email is None:
        return MatchDecision(hubspot_id=hid, action="skip", reason="contact has no valid email")
    found = _unique({r.id: r for r in filter(None, map(index.follow, index.by_email.get(email, [])))})
    best = _best(found)
    if len(best) == 1:
        owner = best[0].fields.get(external_id_field)
        if owner and str(owner) != hid:  # never take over another contact's record
            return MatchDecision(hubspot_id=hid, action="review", candidates=(best[0].id,),
                                 reason=f"the Salesforce {best[0].object} with this email belongs "
                                        f"to HubSpot contact {owner}")
        return MatchDecision(hubspot_id=hid, action="link", record=best[0], matched_by="email")
    if not best:
        return MatchDecision(hubspot_id=hid, action="create", reason="no Salesforce record has this email")
    return MatchDecision(hubspot_id=hid, action="review",
                         reason=f"{len(best)} Salesforce {best[0].object}s share this email",
                         candidates=tuple(sorted(r.id for r in best)))


def _unique(by_id: Mapping[str, CrmRecord]) -> list[CrmRecord]:
    return [by_id[k] for k in sorted(by_id)]


def match_contacts(contacts: Sequence[HubSpotContact], records: Iterable[CrmRecord], *,
                   links: Mapping[str, tuple[str, str]], external_id_field: str) -> list[MatchDecision]:
    """One decision per contact, in the order given. Pure: no I/O."""
    index = _Index(records, external_id_field)
    claimed: dict[str, str] = {}
    decisions = []
    for contact in contacts:
        decision = _decide(contact, links.get(contact.id), index, external_id_field)
        if decision.action == "link" and decision.record is not None:
            other = claimed.setdefault(decision.record.id, contact.id)
            if other != contact.id:
                decision = MatchDecision(
                    hubspot_id=contact.id, action="review", candidates=(decision.record.id,),
                    reason=f"the same Salesforce record is already matched to HubSpot contact {other}")
        decisions.append(decision)
    return decisions
