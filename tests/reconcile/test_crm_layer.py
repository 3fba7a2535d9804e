"""The CRM knowledge in front of Splink, one probe at a time: each incoming record is typed
the way real lists spoil it, and the evidence names the level that recognised it."""

from __future__ import annotations

import random

import pytest

from syncd.reconcile.files import reconcile_records

from .corrupt import dataset

EXISTING = [
    ("E1", "Robert", "Smith", "robert.smith@northwind.com", "+1 415 555 0101", "Northwind Labs Inc."),
    ("E2", "Anna", "Ivanova", "anna.ivanova@polarstack.de", "", "Polarstack GmbH"),
    ("E3", "Jürgen", "Müller", "jmueller@apexworks.de", "+49 30 1234567", "Apexworks AG"),
    ("E4", "Mei", "Chen", "mei.chen@gmail.com", "", "International Business Machines"),
    ("E5", "Lars", "Holm", "info@holmbau.dk", "+45 3312 3456", "Holm Bau"),
    ("E6", "Sofie", "Holm", "info@holmbau.dk", "+45 3312 3456", "Holm Bau"),
    ("E7", "Carlos", "Diaz", "cdiaz@brightpeak.es", "", ""),
]
PROBES = [
    # (incoming, existing id expected as best candidate, level expected in the evidence)
    (("I1", "Bob", "Smith", "", "(415) 555-0101", "Northwind Labs"), "E1", "last name equal, first a nickname"),
    (("I2", "Анна", "Иванова", "", "", "Polarstack"), "E2", "first and last name equal"),
    (("I3", "Mueller", "Juergen", "", "+49 30 1234567", "Apexworks"), "E3", "same number"),
    (("I4", "Mei", "Chen", "", "", "IBM"), "E4", "company acronym"),
    (("I5", "Carlos", "Diaz", "", "", "Brightpeak"), "E7", "company name matches email domain"),
    (("I6", "Lars", "Holm", "info@holmbau.dk", "", "Holm Bau"), "E5", "same shared mailbox (info@…)"),
]
COLUMNS = ("first_name", "last_name", "email", "phone", "company")


@pytest.fixture(scope="module")
def decided(rules):
    filler = dataset(5, existing=400, incoming=0)
    existing = [dict(zip(COLUMNS, row[1:])) for row in EXISTING] + filler.existing
    ids = [row[0] for row in EXISTING] + [f"F{i}" for i in filler.existing_ids]
    incoming = [dict(zip(COLUMNS, probe[1:])) for probe, _, _ in PROBES]
    strict = rules.model_copy(update={"matching": rules.matching.model_copy(update={"default_region": "US"})})
    decisions = reconcile_records(strict, existing, ids, incoming, [p[0] for p, _, _ in PROBES])
    return {d.incoming_id: d for d in decisions}


@pytest.mark.parametrize(("probe", "existing_id", "level"), PROBES, ids=[p[0][0] for p in PROBES])
def test_probe_is_recognised(decided, probe, existing_id, level):
    d = decided[probe[0]]
    assert d.existing_id == existing_id or (d.decision == "create" and existing_id in d.reason), d
    assert level in {e.level for e in d.evidence}, d.evidence_text()


def test_a_shared_mailbox_is_no_key(decided):
    d = decided["I6"]  # E5 and E6 share info@ and the switchboard: the name decides, never the mailbox
    assert not d.reason.startswith("deterministic")


def test_swapped_and_transliterated_names_merge(decided):
    assert decided["I3"].decision == "merge"
    assert "first and last swapped" in decided["I3"].evidence_text()


def test_generated_corrupted_records_are_matched(rules):
    data = dataset(21, existing=3000, incoming=800)
    decisions = reconcile_records(rules.model_copy(update={"matching": rules.matching.model_copy(
        update={"region_column": "region"})}), data.existing, data.existing_ids, data.incoming,
        data.incoming_ids)
    merges = [d for d in decisions if d.decision == "merge"]
    right = sum(data.person[d.existing_id] == data.person[d.incoming_id] for d in merges)
    wanted = sum(t is not None for t in data.truth.values())
    assert right / len(merges) >= 0.99 and right / wanted >= 0.98, (right, len(merges), wanted)
    assert random.Random(0)  # the generator is seeded: same data every run
