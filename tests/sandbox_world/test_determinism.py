"""Same inputs, same bytes; other inputs, other worlds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from syncd_sandbox.world import build_world
from syncd_sandbox.world._ids import SalesforceIds, rng_uuid, sf_checksum

from .conftest import NOW


def _dump(world) -> bytes:
    return json.dumps({"hubspot": world.hubspot, "salesforce": world.salesforce,
                       "truth": world.truth}, sort_keys=True).encode()


def test_same_inputs_give_identical_json_and_file_bytes(world):
    again = build_world(0, 200, now=NOW)
    assert _dump(again) == _dump(world)
    assert again.offline_files == world.offline_files


@pytest.mark.parametrize("kwargs", [{"seed": 1}, {"contacts": 201}, {"now": NOW + timedelta(days=1)}])
def test_other_inputs_give_another_world(world, kwargs):
    args = {"seed": 0, "contacts": 200, "now": NOW} | kwargs
    other = build_world(args["seed"], args["contacts"], now=args["now"])
    assert _dump(other) != _dump(world)
    assert other.offline_files != world.offline_files


def test_different_seed_changes_every_file(world):
    other = build_world(1, 200, now=NOW)
    assert world.offline_files and set(other.offline_files) == set(world.offline_files)
    for name, data in world.offline_files.items():
        assert other.offline_files.get(name) != data, name


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        build_world(0, 10, now=datetime(2026, 11, 25))


@pytest.mark.parametrize("contacts, activity", [(0, 1.0), (10, 0.0)])
def test_nonsense_sizes_are_refused(contacts, activity):
    with pytest.raises(ValueError, match="contacts must be"):
        build_world(0, contacts, now=NOW, activity=activity)


def test_uuids_are_reproducible_and_shaped_like_v4():
    import random
    import uuid

    a, b = random.Random(5), random.Random(5)
    first = rng_uuid(a)
    assert first == rng_uuid(b)
    assert uuid.UUID(first).version == 4


@pytest.mark.parametrize("id15, suffix", [("001A0000006Vm9r", "IAC"), ("003000000000000", "AAA"),
                                          ("00QABCDEABCDEAB", "255")])
def test_salesforce_checksum_matches_the_documented_algorithm(id15, suffix):
    assert sf_checksum(id15) == suffix


def test_salesforce_ids_are_18_characters_with_prefix_and_unique():
    ids = SalesforceIds()
    made = [ids.new("00Q") for _ in range(500)] + [ids.new("003") for _ in range(5)]
    assert len(set(made)) == len(made)
    assert all(len(i) == 18 and i[15:] == sf_checksum(i[:15]) for i in made)
    assert made[0].startswith("00Q") and made[-1].startswith("003")


_DIGEST = """
import hashlib, json
from datetime import UTC, datetime
from syncd_sandbox.world import build_world
w = build_world(4, 60, now=datetime(2026, 11, 25, 12, tzinfo=UTC))
h = hashlib.sha256(json.dumps([w.hubspot, w.salesforce, w.truth], sort_keys=True).encode())
for name in sorted(w.offline_files):
    h.update(w.offline_files[name])
print(h.hexdigest())
"""


def test_bytes_do_not_depend_on_the_interpreters_hash_seed():
    import os
    import subprocess
    import sys

    digests = {subprocess.run([sys.executable, "-c", _DIGEST], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": str(n)}).stdout
               for n in (1, 2)}
    assert len(digests) == 1 and len(digests.pop().strip()) == 64


def test_xlsx_members_carry_no_file_times(world):
    """openpyxl writes sheets through temporary files; their mtimes must not reach the zip
    (they made the bytes differ between two builds a couple of seconds apart)."""
    import io
    import zipfile

    workbooks = [name for name in world.offline_files if name.endswith(".xlsx")]
    assert workbooks, "the world writes at least one .xlsx file"
    for name, content in world.offline_files.items():
        if name.endswith(".xlsx"):
            stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(content)).infolist()}
            assert stamps == {NOW.timetuple()[:6]}, (name, stamps)
