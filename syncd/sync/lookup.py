"""Read what matching and qualifying need for a set of contacts: candidates from the local
Salesforce mirror (no query per chunk), and the opportunity facts of matched Contacts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncd.models import HubSpotContact
from syncd.ports import CrmGateway, StateStore
from syncd.sync.match import MatchDecision, canonical_email, match_contacts

__all__ = ["look_up"]


def _decided(store: StateStore, decisions: list[MatchDecision]) -> list[MatchDecision]:
    """A review a person already rejected (same contact, same candidates) is not asked
    again: the contact stays unwritten, recorded as such."""
    asked = [d.hubspot_id for d in decisions if d.action == "review"]
    if not asked:
        return decisions
    rejected = {(s, row["candidates"]) for s, rows in store.review_decisions(asked).items()
                for row in rows if row["decision"] == "reject"}
    return [MatchDecision(hubspot_id=d.hubspot_id, action="skip", matched_by="review",
                          reason=f"review rejected before (candidates {', '.join(d.candidates)}): not written")
            if d.action == "review" and (d.hubspot_id, ",".join(sorted(d.candidates))) in rejected else d
            for d in decisions]


def look_up(crm: CrmGateway, store: StateStore, contacts: Sequence[HubSpotContact], *,
            external_id_field: str) -> tuple[list[MatchDecision], Mapping[str, Mapping[str, bool]]]:
    """Match decisions for ``contacts`` (in order) and the opportunity facts of the matched
    Contacts' accounts (one query, only when a matched Contact has an account)."""
    links = store.id_map([c.id for c in contacts])
    records = store.mirror_candidates(emails={e for c in contacts if (e := canonical_email(c.email))},
                                      hubspot_ids={c.id for c in contacts},
                                      sf_ids={sf_id for _, sf_id in links.values()})
    decisions = _decided(store, match_contacts(contacts, records, links=links, external_id_field=external_id_field))
    accounts = {d.record.fields.get("AccountId") for d in decisions
                if d.record is not None and d.record.object == "Contact"} - {None}
    return decisions, (crm.opportunity_facts(accounts) if accounts else {})
