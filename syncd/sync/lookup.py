"""Read what matching and qualifying need for a set of contacts: candidates from the local
Salesforce mirror (no query per chunk), and the opportunity facts of matched Contacts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncd.models import HubSpotContact
from syncd.ports import CrmGateway, StateStore
from syncd.sync.match import MatchDecision, canonical_email, match_contacts

__all__ = ["look_up"]


def look_up(crm: CrmGateway, store: StateStore, contacts: Sequence[HubSpotContact], *,
            external_id_field: str) -> tuple[list[MatchDecision], Mapping[str, Mapping[str, bool]]]:
    """Match decisions for ``contacts`` (in order) and the opportunity facts of the matched
    Contacts' accounts (one query, only when a matched Contact has an account)."""
    links = store.id_map([c.id for c in contacts])
    records = store.mirror_candidates(emails={e for c in contacts if (e := canonical_email(c.email))},
                                      hubspot_ids={c.id for c in contacts},
                                      sf_ids={sf_id for _, sf_id in links.values()})
    decisions = match_contacts(contacts, records, links=links, external_id_field=external_id_field)
    accounts = {d.record.fields.get("AccountId") for d in decisions
                if d.record is not None and d.record.object == "Contact"} - {None}
    return decisions, (crm.opportunity_facts(accounts) if accounts else {})
