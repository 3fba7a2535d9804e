"""Matching HubSpot contacts to Salesforce records by deterministic keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.models import CrmRecord, HubSpotContact
from syncd.sync.match import canonical_email, match_contacts

NOW = datetime(2026, 11, 1, tzinfo=UTC)
EXT = "HubSpot_Id__c"


def hs(cid: str, email: str | None) -> HubSpotContact:
    return HubSpotContact(id=cid, properties={"email": email}, updated_at=NOW)


def lead(rid: str, email: str, **fields) -> CrmRecord:
    return CrmRecord(object="Lead", id=rid, fields={"Email": email, "IsConverted": False, **fields})


def contact(rid: str, email: str, **fields) -> CrmRecord:
    return CrmRecord(object="Contact", id=rid, fields={"Email": email, **fields})


@pytest.mark.parametrize(("raw", "canonical"), [
    ("  Bob@Acme.COM ", "bob@acme.com"), ("", None), (None, None), ("no-at-sign", None),
    ("bob@localhost", None), ("bob+tag@acme.com", "bob+tag@acme.com"),
])
def test_canonical_email(raw, canonical):
    assert canonical_email(raw) == canonical


@pytest.mark.parametrize(("records", "links", "action", "record_id", "by"), [
    ([lead("L1", "BOB@acme.com")], {}, "link", "L1", "email"),
    ([], {}, "create", None, None),
    ([lead("L1", "bob@acme.com"), contact("C1", "bob@acme.com")], {}, "link", "C1", "email"),
    ([lead("L1", "bob@acme.com"), lead("L2", "Bob@Acme.com")], {}, "review", None, None),
    ([lead("L1", "other@acme.com", **{EXT: "1"})], {}, "link", "L1", EXT),
    ([lead("L1", "x@acme.com"), lead("L2", "bob@acme.com")], {"1": ("Lead", "L1")}, "link", "L1", "id_map"),
    ([lead("L1", "bob@acme.com", IsConverted=True, ConvertedContactId="C9"), contact("C9", "b@x.io")],
     {}, "link", "C9", "email"),
])
def test_decisions(records, links, action, record_id, by):
    (decision,) = match_contacts([hs("1", "bob@acme.com")], records, links=links, external_id_field=EXT)
    assert decision.action == action
    assert (decision.record.id if decision.record else None) == record_id
    assert decision.matched_by == by
    if action == "review":
        assert decision.candidates == ("L1", "L2") and "2 Salesforce Leads" in decision.reason


def test_contact_without_email_is_skipped_with_reason():
    (decision,) = match_contacts([hs("1", None)], [], links={}, external_id_field=EXT)
    assert decision.action == "skip" and "no valid email" in decision.reason


def test_one_record_is_never_claimed_by_two_contacts():
    decisions = match_contacts([hs("1", "bob@acme.com"), hs("2", "BOB@acme.com")],
                               [lead("L1", "bob@acme.com")], links={}, external_id_field=EXT)
    assert [d.action for d in decisions] == ["link", "review"]
    assert "already matched to HubSpot contact 1" in decisions[1].reason


def test_a_record_linked_to_another_hubspot_contact_is_not_taken_over():
    (decision,) = match_contacts([hs("2", "bob@acme.com")], [lead("L1", "bob@acme.com", **{EXT: "1"})],
                                 links={}, external_id_field=EXT)
    assert decision.action == "review" and decision.candidates == ("L1",)
    assert "belongs to HubSpot contact 1" in decision.reason
