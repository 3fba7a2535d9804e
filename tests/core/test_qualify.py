"""What Salesforce tells the lifecycle engine about a person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.models import CrmRecord, HubSpotContact
from syncd.sync.qualify import facts_from

CONTACT = HubSpotContact(id="7", properties={"email": "a@b.io", "hs_lead_status": "IN_PROGRESS"},
                         updated_at=datetime(2026, 11, 1, tzinfo=UTC))
OPPS = {"001A": {"open": True, "won": False, "churned": False},
        "001B": {"open": False, "won": True, "churned": True}}


@pytest.mark.parametrize(("record", "expect"), [
    (None, dict(lead_status="IN_PROGRESS", is_converted=False)),
    (CrmRecord(object="Lead", id="00Q1", fields={"Status": "Nurture", "OwnerId": "005X"}),
     dict(lead_status="Nurture", is_converted=False, owner_id="005X")),
    (CrmRecord(object="Contact", id="0031", fields={"AccountId": "001A"}),
     dict(lead_status=None, is_converted=True, has_open_opportunity=True, has_closed_won=False)),
    (CrmRecord(object="Contact", id="0032", fields={"AccountId": "001B"}),
     dict(is_converted=True, has_closed_won=True, churned=True, has_open_opportunity=False)),
    (CrmRecord(object="Contact", id="0033", fields={"AccountId": "001Z"}),
     dict(has_closed_won=False, churned=False)),
])
def test_facts_from_salesforce(record, expect):
    facts = facts_from(CONTACT, record, OPPS)
    assert expect, "each case names the facts it expects"
    for name, value in expect.items():
        assert getattr(facts, name) == value, name
