"""The offline lead files parse in their own encodings and carry the documented mess."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from syncd_sandbox.world.offline_files import LATIN1_COLUMNS, TRADESHOW_COLUMNS, WEBINAR_COLUMNS
from syncd_sandbox.world.offline_rows import typo
from syncd_sandbox.world.pools import NICKNAMES

from .conftest import NOW

MESS = {"nickname", "typo_email", "missing_email", "email_case", "trailing_whitespace",
        "no_name_no_email", "upper_case_name", "typo_name"}
KINDS = {"existing", "new", "duplicate", "reject", "blank"}


def read(name: str, data: bytes) -> tuple[list[str], list[dict]]:
    """(header, rows as {name, email}) the way an importer would read each file."""
    if name.endswith(".xlsx"):
        ws = openpyxl.load_workbook(io.BytesIO(data))["Registrants"]
        table = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        name_col, email_col = "Full Name", "Email Address"
    elif name.startswith("tradeshow"):
        assert data.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        name_col, email_col = "First", "E-mail"
    else:
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        table = list(csv.reader(io.StringIO(data.decode("cp1252"))))
        name_col, email_col = "Full Name", "Email Address"
    header, rows = table[0], table[1:]
    out = []
    for row in rows:
        cells = dict(zip(header, row + [""] * (len(header) - len(row))))
        full = cells[name_col] + (" " + cells["Last"] if "Last" in cells else "")
        out.append({"name": full.strip(), "email": cells[email_col], "cells": cells})
    return header, out


def _files(world):
    return [(name, data, world.truth["offline"][name]) for name, data in world.offline_files.items()]


def test_three_files_with_their_own_columns(big_world):
    headers = {name: read(name, data)[0] for name, data, _ in _files(big_world)}
    assert sorted(headers) == ["business-cards-latin1.csv", "tradeshow-saastr-2026.csv",
                               "webinar-2026-10.xlsx"]
    assert headers["tradeshow-saastr-2026.csv"] == list(TRADESHOW_COLUMNS)
    assert headers["webinar-2026-10.xlsx"] == list(WEBINAR_COLUMNS)
    assert headers["business-cards-latin1.csv"] == list(LATIN1_COLUMNS)


def test_latin1_file_carries_accented_names(big_world):
    _, rows = read("business-cards-latin1.csv", big_world.offline_files["business-cards-latin1.csv"])
    assert sum(not r["name"].isascii() for r in rows) >= 10


def test_xlsx_has_fixed_document_dates(big_world):
    wb = openpyxl.load_workbook(io.BytesIO(big_world.offline_files["webinar-2026-10.xlsx"]))
    assert wb.properties.created == wb.properties.modified == NOW.replace(tzinfo=None)


def test_every_kind_of_row_and_mess_is_present(big_world):
    for name, _, truth in _files(big_world):
        assert {r["kind"] for r in truth} == KINDS, name
    assert {m for *_, truth in _files(big_world) for r in truth for m in r["mess"]} == MESS


def test_truth_describes_each_row_of_each_file(big_world):
    hubspot_emails = {(c["properties"]["email"] or "").lower() for c in big_world.hubspot["contacts"]}
    people = big_world.truth["people"]
    files = _files(big_world)
    assert len(files) == 3 and all(truth for _n, _d, truth in files)
    for name, data, truth in files:
        _, rows = read(name, data)
        assert rows and len(rows) <= len(truth)  # a sheet drops trailing blank rows
        assert all(t["kind"] == "blank" for t in truth[len(rows):])
        for row, t in zip(rows, truth):
            _check_row(row, t, truth, people, hubspot_emails)


def _check_row(row, t, truth, people, hubspot_emails):
    where = (t["row"], t["kind"], t["mess"])
    if t["kind"] == "blank":
        assert not any(v.strip() for v in row["cells"].values()), where
        return
    if t["kind"] == "reject":
        assert not row["name"] and not row["email"], where
        return
    person = people[t["person"]]
    if t["kind"] == "duplicate":
        assert t["duplicate_of"] < t["row"] and truth[t["duplicate_of"] - 1]["person"] == t["person"]
    elif t["kind"] == "new":
        assert t["hubspot_id"] is None and t["salesforce_ids"] == []
        assert person["email"] is None or person["email"] not in hubspot_emails
    else:
        assert t["hubspot_id"] or t["salesforce_ids"], where
    email = row["email"].strip()
    if "missing_email" in t["mess"]:
        assert email == "", where
    elif "typo_email" in t["mess"]:
        assert email.lower() != person["email"], where
    else:
        assert email.lower() == person["email"], where
    last = person["last"].upper() if "upper_case_name" in t["mess"] else person["last"]
    if "typo_name" in t["mess"]:
        typed = " ".join(row["name"].split()[1:])
        assert typed != last and sorted(typed) == sorted(last), where
    else:
        assert row["name"].rstrip().endswith(last), where
    if "nickname" in t["mess"]:
        assert row["name"].split()[0] in NICKNAMES[person["first"]], where
    else:
        assert row["name"].split()[0] == person["first"], where


def test_trailing_whitespace_survives_in_the_raw_cells(big_world):
    assert len(_files(big_world)) == 3
    for name, data, truth in _files(big_world):
        _, rows = read(name, data)
        padded = [r for r, t in zip(rows, truth) if "trailing_whitespace" in t["mess"]]
        assert padded and all(any(v != v.rstrip() for v in r["cells"].values()) for r in padded), name


@pytest.mark.parametrize("email", ["john.smith@acme.com", "bob@gmail.com", "li@x.io", "a.b.c@yahoo.com",
                                   "hmitchell@keystonewave.co.uk", "aaaa@b.com"])
def test_typos_always_change_the_address(email):
    import random

    rng = random.Random(0)
    assert all(typo(rng, email) != email for _ in range(50))
