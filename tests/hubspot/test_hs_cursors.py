"""Cursor values: where the next read starts, what they keep, and bad stored values."""

from __future__ import annotations

import pytest

from connectors.hubspot.cursors import KeysetCursor, WindowCursor

MIN = 60_000


@pytest.mark.parametrize("ts, read_at, since", [
    (0, None, 0),                          # never read: from the beginning
    (100 * MIN, None, 95 * MIN),           # no read time: the whole overlap
    (100 * MIN, 101 * MIN, 96 * MIN),      # read soon after: from read time − overlap
    (100 * MIN, 110 * MIN, 100 * MIN + 1),  # read long after: only newer changes
])
def test_keyset_cursor_next_read_starts_at(ts, read_at, since):
    cursor = KeysetCursor(ts=ts, seen={"1": ts} if ts else {}, read_at=read_at)
    assert cursor.since(5 * MIN) == since


def test_keyset_cursor_keeps_only_versions_within_the_overlap():
    cursor = KeysetCursor().advance([("a", 1 * MIN), ("b", 9 * MIN), ("c", 10 * MIN)], 2 * MIN, read_at=11 * MIN)
    assert cursor.dump() == {"ts": 10 * MIN, "seen": {"b": 9 * MIN, "c": 10 * MIN}, "read_at": 11 * MIN}
    assert not cursor.is_new("c", 10 * MIN) and cursor.is_new("c", 11 * MIN)


def test_window_cursor_keeps_ids_within_the_late_window_and_when_it_swept():
    swept = WindowCursor().advance([("x", 1 * MIN), ("y", 50 * MIN)], 30 * MIN, swept_at=60 * MIN,
                                   pending=False, calls=7)
    assert swept.dump() == {"hwm": 50 * MIN, "ids": {"y": 50 * MIN}, "pending": False,
                            "swept_at": 60 * MIN, "sweep_calls": 7}
    assert swept.since(30 * MIN) == 20 * MIN
    assert WindowCursor.load(swept.dump(), "s") == swept
    short = swept.advance([("z", 55 * MIN)], 30 * MIN, pending=True, calls=2)
    assert (short.swept_at, short.pending, short.window_calls, short.sweep_calls) == (60 * MIN, True, 2, 7)
    assert not short.sweep_due(100 * MIN, 60 * MIN) and short.sweep_due(120 * MIN, 60 * MIN)


@pytest.mark.parametrize("raw, message", [
    ({"ts": "yesterday"}, "'ts' must be epoch milliseconds"),
    ({"ts": 1, "seen": ["a"]}, "must map ids to epoch ms"),
])
def test_a_corrupt_cursor_is_refused_with_the_fix(raw, message):
    with pytest.raises(ValueError, match=message) as info:
        KeysetCursor.load(raw, "contacts")
    assert "delete the cursor" in str(info.value) and "'contacts'" in str(info.value)
