"""What a pull keeps of its contacts stays bounded and still answers what the streams and the
contacts cursor ask: per-contact keys while asking per contact may be cheaper, the cursor's
pairs near the newest change, and an email map that resolves every address it is asked for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.hubspot.changed import ChangedContacts
from connectors.hubspot.cursors import KeysetCursor
from connectors.hubspot.feeds import emails_of
from connectors.hubspot.resolver import EmailResolver
from connectors.hubspot.timeutil import to_ms
from syncd.models import HubSpotContact

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def contact(cid: int, *, ms: int = 0, email: str | None = None, extra: str = "", conversions: str = "0"):
    return HubSpotContact(id=str(cid), updated_at=T0 + timedelta(milliseconds=ms),
                          properties={"email": email, "hs_additional_emails": extra,
                                      "num_conversion_events": conversions})


def summary(caps: dict[str, int], overlap_ms: int = 1000) -> ChangedContacts:
    return ChangedContacts({"email_events": emails_of, "events": lambda c: (c.id,)}, caps, overlap_ms)


def test_keys_are_kept_in_first_read_order_with_each_contacts_latest_addresses():
    changed = summary({"email_events": 10, "events": 10})
    changed.add(contact(1, email="a@x.test", extra="a2@x.test"))
    changed.add(contact(2))
    changed.add(contact(1, ms=5, email="a@x.test"))  # read again: one address left
    assert changed.keys("email_events") == ["a@x.test"] and changed.cost("email_events") == 1
    assert changed.keys("events") == ["1", "2"] and changed.cost("events") == 2
    assert changed and changed.count == 3 and not changed.converted


def test_past_its_cap_a_stream_keeps_no_keys_but_still_counts_its_cost():
    changed = summary({"email_events": 2, "events": 100})
    for i in range(5):
        changed.add(contact(i, email=f"p{i}@x.test", conversions="1" if i == 3 else None))
    assert changed.keys("email_events") is None and changed.cost("email_events") == 5
    assert changed.keys("events") == ["0", "1", "2", "3", "4"]
    assert changed.converted


def test_the_contacts_cursor_advances_as_if_every_contact_had_been_kept():
    old = KeysetCursor(ts=to_ms(T0) - 10, seen={"7": to_ms(T0) - 10, "9": to_ms(T0) - 5_000})
    changed = summary({}, overlap_ms=100)
    pairs = []
    for i in range(10_000):  # many contacts, a few sharing a millisecond, one read twice
        c = contact(i % 9_000, ms=i // 3)
        changed.add(c)
        pairs.append((c.id, to_ms(c.updated_at)))
    assert len(changed.emitted()) < 2_500  # not the 9,000 contacts read
    assert old.advance(changed.emitted(), 100) == old.advance(pairs, 100)


class CountingApi:
    def __init__(self, directory: dict[str, str]) -> None:
        self.directory, self.asked = directory, []

    def read_contacts(self, ids, properties, *, id_property=None):
        self.asked += ids
        return {"results": [{"id": self.directory[e], "properties": {"email": e}} for e in ids
                            if e in self.directory]}


def test_the_email_map_stays_bounded_and_keeps_resolving():
    directory = {f"p{i}@x.test": str(i) for i in range(1000)}
    api = CountingApi(directory)
    resolver = EmailResolver(api, batch_size=100, max_entries=200)
    for email, cid in directory.items():
        resolver.learn(cid, {"email": email})
        assert len(resolver) <= 200
    resolver.prefetch(["p999@x.test", "P998@x.test "])  # learnt last: no lookup
    assert api.asked == [] and resolver.get("p998@x.test") == "998"
    resolver.prefetch(["p0@x.test", "nobody@x.test"])  # let go long ago: looked up again
    assert sorted(api.asked) == ["nobody@x.test", "p0@x.test"]
    assert resolver.get("p0@x.test") == "0" and resolver.get("nobody@x.test") is None


def test_every_address_asked_for_stays_known_until_the_next_ask():
    directory = {f"p{i}@x.test": str(i) for i in range(400)}
    resolver = EmailResolver(CountingApi(directory), batch_size=100, max_entries=200)
    for i in range(200):
        resolver.learn(str(i), {"email": f"p{i}@x.test"})
    asked = [f"p{i}@x.test" for i in range(0, 400, 2)]  # 100 known (the oldest too), 100 to look up
    resolver.prefetch(asked)
    assert [resolver.get(e) for e in asked] == [directory[e] for e in asked]
    resolver.learn("1", {"email": "p1@x.test"})
    assert len(resolver) <= 200


def test_addresses_the_map_lacks_are_asked_of_the_stored_contacts_before_hubspot():
    """Past the map's bound (a portal of a million contacts) the recipients of an e-mail feed
    are mostly unknown to it: the stored contacts answer those they hold, HubSpot only the rest."""
    directory = {f"p{i}@x.test": str(i) for i in range(600)}
    stored_asks: list[list[str]] = []

    def stored(emails):
        stored_asks.append(list(emails))
        return {e: directory[e] for e in emails if e in directory and int(directory[e]) < 500}

    api = CountingApi(directory)
    resolver = EmailResolver(api, batch_size=100, max_entries=200, stored=stored)
    resolver.learn("599", {"email": "p599@x.test"})
    found = resolver.prefetch([f"P{i}@x.test" for i in range(0, 600, 3)] + ["p599@x.test", "nobody@x.test"])
    assert stored_asks == [sorted({f"p{i}@x.test" for i in range(0, 600, 3)} | {"nobody@x.test"})]
    assert sorted(api.asked) == sorted([f"p{i}@x.test" for i in range(501, 600, 3)] + ["nobody@x.test"])
    assert all(found.get(f"p{i}@x.test") == str(i) for i in range(0, 600, 3))
    assert found.get("nobody@x.test") is None and found.get("p599@x.test") == "599"


def test_a_window_stream_read_keeps_what_its_cursor_keeps():
    from connectors.hubspot.changed import RecentPairs
    from connectors.hubspot.cursors import WindowCursor

    old = WindowCursor(hwm=5_000, ids={"a": 4_990, "b": 100})
    recent, pairs = RecentPairs(50), []
    for i in range(6_000):  # occurrence times out of order, as a feed read newest first gives them
        key, ms = f"e{i}", (i * 7919) % 6_000
        recent.add(key, ms)
        pairs.append((key, ms))
    assert len(recent) < 2_500
    assert old.advance(recent.items(), 50) == old.advance(pairs, 50)


def test_times_are_read_in_every_form_hubspot_sends():
    from connectors.hubspot.timeutil import ms_or_none, parse_ms

    for value, ms in ((1_735_689_600_123, 1_735_689_600_123), ("1735689600123", 1_735_689_600_123),
                      (" 42 ", 42), ("2025-01-01T00:00:00Z", 1_735_689_600_000),
                      ("2025-01-01T00:00:00.5", 1_735_689_600_500), ("2025-01-01T02:00:00+02:00", 1_735_689_600_000)):
        assert ms_or_none(value) == parse_ms(value, field="f") == ms
    for value in (True, None, "", "soon", 1.5):
        assert ms_or_none(value) is None
        with pytest.raises(ValueError, match="HubSpot sent f="):
            parse_ms(value, field="f")


def test_what_one_ask_found_holds_while_another_lane_fills_the_map():
    directory = {f"p{i}@x.test": str(i) for i in range(1000)}
    resolver = EmailResolver(CountingApi(directory), batch_size=100, max_entries=200)
    asked = [f"p{i}@x.test" for i in range(100)]
    found = resolver.prefetch(asked)
    for i in range(500, 1000):  # another lane's contacts push the asked ones out of the map
        resolver.learn(str(i), {"email": f"p{i}@x.test"})
    assert resolver.get("p0@x.test") is None and len(resolver) <= 200
    assert [found.get(e.upper()) for e in asked] == [directory[e] for e in asked]
