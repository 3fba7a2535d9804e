"""The audit's comparison, table-driven: each kind of drift, and what is not drift."""

from __future__ import annotations

import pytest

from syncd.audit.drift import Linked, find_drift, same_value
from syncd.models import CrmRecord

EXT = "HubSpot_Id__c"
OWNED = {"Lead": frozenset({EXT, "Lifecycle_Stage__c", "Lead_Score__c"}),
         "Contact": frozenset({EXT, "Lifecycle_Stage__c", "Lead_Score__c"})}


def rec(obj, rid, hid, **fields):
    return CrmRecord(object=obj, id=rid, fields={EXT: hid, "Email": f"{hid}@x.example", **fields})


def link(hid, rid, obj="Lead", **written):
    return Linked(hubspot_id=hid, sf_object=obj, sf_id=rid, written={EXT: hid, **written})


CASES = [
    ("in step", [rec("Lead", "L1", "1", Lifecycle_Stage__c="MQL", Lead_Score__c=40.0)],
     [link("1", "L1", Lifecycle_Stage__c="MQL", Lead_Score__c=40)], {}),
    ("owned field edited", [rec("Lead", "L1", "1", Lifecycle_Stage__c="SQL")],
     [link("1", "L1", Lifecycle_Stage__c="MQL")], {"edited": {"1"}}),
    ("a field Salesforce may edit is not drift", [rec("Lead", "L1", "1", Phone="+1 555")],
     [link("1", "L1", Phone="+1 444")], {}),
    ("deleted", [], [link("1", "L1")], {"deleted": {"1"}}),
    ("external id cleared", [rec("Lead", "L1", "9")], [link("1", "L1")],
     {"deleted": {"1"}, "unlinked": {"9"}}),
    ("converted lead is not drift", [rec("Lead", "L1", "1", IsConverted=True, Lifecycle_Stage__c="x")],
     [link("1", "L1", Lifecycle_Stage__c="MQL")], {}),
    ("unlinked record", [rec("Contact", "C7", "7")], [], {"unlinked": {"7"}}),
    ("duplicates share an email",
     [rec("Lead", "L1", "1"), CrmRecord(object="Contact", id="C2",
                                        fields={EXT: "2", "Email": " 1@X.example"})],
     [link("1", "L1"), link("2", "C2", obj="Contact")], {"duplicates": {"1", "2"}}),
    ("datetimes compare by instant",
     [rec("Lead", "L1", "1", Last_Engagement_Date__c="2026-01-02T03:04:05.000+0000")],
     [link("1", "L1", Last_Engagement_Date__c="2026-01-02T03:04:05Z")], {}),
]


@pytest.mark.parametrize("records,linked,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_drift_kinds(records, linked, expected):
    owned = {k: v | {"Last_Engagement_Date__c"} for k, v in OWNED.items()}
    found = find_drift(records, linked, external_id_field=EXT, owned=owned)
    got = {kind: {e["hubspot_id"] for e in found.examples[kind]} for kind in found.counts
           if found.counts[kind]}
    assert got == expected
    assert found.requeue == frozenset().union(*expected.values()) if expected else not found.requeue
    assert found.linked == len(linked)


def test_examples_carry_ids_only_and_name_the_edited_fields():
    found = find_drift([rec("Lead", "L1", "1", Lifecycle_Stage__c="SQL", Lead_Score__c=3)],
                       [link("1", "L1", Lifecycle_Stage__c="MQL", Lead_Score__c=3)],
                       external_id_field=EXT, owned=OWNED)
    assert found.examples["edited"] == ({"hubspot_id": "1", "record": "L1", "object": "Lead",
                                         "fields": ["Lifecycle_Stage__c"]},)
    assert "@" not in repr(found.to_dict())


@pytest.mark.parametrize("a,b,same", [(42, 42.0, True), ("", None, True), ("a", "b", False),
                                      ("42", 42, True), ("x", 1, False), (True, True, True)])
def test_same_value(a, b, same):
    assert same_value(a, b) is same
