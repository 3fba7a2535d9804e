"""Indexed search answers exactly as the full scan does: same ids, same order, same total."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from connectors.hubspot.keyset import count_changed, scan_changed
from syncd_sandbox.hubspot import HubSpotState
from syncd_sandbox.hubspot.crm_search import _cached_ids, indexed_ids
from syncd_sandbox.hubspot.filters import matching_ids
from syncd_sandbox.hubspot.search import parse_query

from .conftest import T0, StepClock, contact_row, iso, seed

N = 400
DATE_PROPS = ("lastmodifieddate", "createdate", "first_conversion_date")
NUMBER_PROPS = ("hs_object_id", "hs_analytics_num_page_views")


def _ms(at) -> int:
    return int(at.timestamp() * 1000)


def world(rng: random.Random) -> HubSpotState:
    """Contacts whose change times collide in bursts, some archived, some with the indexed
    properties missing, empty or unparseable."""
    rows = []
    for i in range(1, N + 1):
        modified = T0 + timedelta(minutes=rng.choice([i, i, i // 25 * 25, 7]), milliseconds=rng.choice([0, 0, 1]))
        rows.append(contact_row(i, lastmodifieddate=iso(modified),
                                createdate=iso(T0 + timedelta(minutes=i // 3))))
    state = HubSpotState.from_seed(seed(contacts=rows), clock=StepClock())
    for record in state.contacts.records.values():
        p = record.properties
        p["hs_analytics_num_page_views"] = rng.choice([None, "", "nan", "x", "-1", "0", "3", "3.0",
                                                       "1e3", "inf", str(rng.randint(0, 50))])
        p["first_conversion_date"] = rng.choice([None, "", "garbage", "2026-03-02",
                                                 str(_ms(T0) + rng.randint(0, 5) * 1000),
                                                 iso(T0 + timedelta(hours=rng.randint(0, 48)))])
        if rng.random() < 0.05:
            p["lastmodifieddate"] = rng.choice(["", "not a date"])
        if rng.random() < 0.1:
            record.archived = True
    state.changed()
    return state


def _value(rng: random.Random, state: HubSpotState, name: str) -> str:
    """Mostly a value some record holds (ties), else an arbitrary or unparseable one."""
    pick = rng.random()
    if pick < 0.6:
        record = rng.choice(list(state.contacts.records.values()))
        raw = record.properties.get(name)
        if raw:
            return raw
    if pick < 0.65:
        return rng.choice(["", "junk", "nan"])
    if name in NUMBER_PROPS:
        return str(rng.choice([rng.randint(-5, 1500), rng.random() * 100]))
    return str(_ms(T0) + rng.randint(-10**6, 3 * 10**9))


def _filter(rng: random.Random, state: HubSpotState, name: str) -> dict:
    op = rng.choice(["EQ", "GT", "GTE", "LT", "LTE", "BETWEEN"])
    f = {"propertyName": name, "operator": op, "value": _value(rng, state, name)}
    if op == "BETWEEN":
        f["highValue"] = _value(rng, state, name)
    return f


def _extra(rng: random.Random) -> dict:
    return rng.choice([{"propertyName": "lifecyclestage", "operator": "EQ", "value": "lead"},
                       {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "example3.com"},
                       {"propertyName": "hs_analytics_num_page_views", "operator": "HAS_PROPERTY"},
                       {"propertyName": "lastmodifieddate", "operator": "NEQ", "value": iso(T0)},
                       {"propertyName": "firstname", "operator": "LT", "value": "First2"}])


def random_body(rng: random.Random, state: HubSpotState) -> dict:
    shape = rng.random()
    sort_prop = rng.choice(DATE_PROPS + NUMBER_PROPS)
    if shape < 0.3:  # a keyset page: GTE [AND LT] on the sort property, ORed around skips
        groups = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            g = [dict(_filter(rng, state, sort_prop), operator="GTE")]
            if rng.random() < 0.7:
                g.append(dict(_filter(rng, state, sort_prop), operator=rng.choice(["LT", "LTE"])))
            groups.append(g)
    elif shape < 0.45:  # a full millisecond read by id
        at = _value(rng, state, "lastmodifieddate")
        g = [{"propertyName": "lastmodifieddate", "operator": "EQ", "value": at}]
        if rng.random() < 0.8:
            g.append({"propertyName": "hs_object_id", "operator": "GT", "value": str(rng.randint(990, 1400))})
        groups, sort_prop = [g], "hs_object_id"
    else:  # anything mixed: other properties, extra non-range filters, some unindexable groups
        groups = []
        for _ in range(rng.randint(1, 3)):
            g = [_filter(rng, state, rng.choice(DATE_PROPS + NUMBER_PROPS))
                 for _ in range(rng.randint(0, 2))]
            if rng.random() < 0.4 or not g:
                g.append(_extra(rng))
            groups.append(g)
        sort_prop = rng.choice([*DATE_PROPS, *NUMBER_PROPS, "email", None])
    sorts = [] if sort_prop is None else [{"propertyName": sort_prop,
                                           "direction": rng.choice(["ASCENDING", "ASCENDING", "DESCENDING"])}]
    body = {"filterGroups": [{"filters": g} for g in groups], "sorts": sorts,
            "limit": rng.choice([1, 7, 200]), "after": str(rng.choice([0, 0, 3, 50]))}
    if rng.random() < 0.1:
        body["query"] = rng.choice(["person1", "example2", "nobody"])
    return body


def full_scan(state: HubSpotState, q) -> list[str]:
    store = state.contacts
    return matching_ids((store.records[i] for i in store.ids_in_order()), q, state.kind_of("contacts"))


@pytest.mark.parametrize("seed_", range(4))
def test_indexed_answers_equal_the_full_scan(seed_):
    rng = random.Random(seed_)
    state = world(rng)
    indexed = 0
    for _ in range(300):
        q = parse_query(random_body(rng, state))
        expected = full_scan(state, q)
        got = indexed_ids(state, "contacts", q)
        if got is None:
            continue
        indexed += 1
        assert len(got) == len(expected), q.key
        assert list(got) == expected, q.key
        assert list(got[q.offset:q.offset + q.limit]) == expected[q.offset:q.offset + q.limit]
        if expected:
            assert got[-1] == expected[-1] and got[0] == expected[0]
    assert indexed > 200  # the shapes syncd sends are the indexed ones


def test_descending_ties_keep_list_order():
    rows = [contact_row(i, lastmodifieddate=iso(T0 + timedelta(minutes=i // 4))) for i in range(1, 30)]
    state = HubSpotState.from_seed(seed(contacts=rows), clock=StepClock())
    body = {"filterGroups": [{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": "0"}]},
                             {"filters": [{"propertyName": "lastmodifieddate", "operator": "LT", "value": iso(T0)}]}],
            "sorts": [{"propertyName": "lastmodifieddate", "direction": "DESCENDING"}], "limit": 10}
    q = parse_query(body)
    got = indexed_ids(state, "contacts", q)
    assert list(got) == full_scan(state, q)
    assert list(got)[:5] == ["1028", "1029", "1024", "1025", "1026"]


def test_a_write_rebuilds_the_index_and_the_modified_contact_moves():
    clock = StepClock()
    state = HubSpotState.from_seed(seed(50), clock=clock)
    window = lambda lo, hi: parse_query({  # noqa: E731
        "filterGroups": [{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": str(lo)},
                                      {"propertyName": "lastmodifieddate", "operator": "LT", "value": str(hi)}]}],
        "sorts": ["lastmodifieddate"], "limit": 200})
    early = window(_ms(T0), _ms(T0 + timedelta(minutes=11)))
    late = window(_ms(T0 + timedelta(days=1)), _ms(clock() + timedelta(days=1)))
    with state.lock:
        assert "1005" in _cached_ids(state, "contacts", early)
        assert list(_cached_ids(state, "contacts", late)) == []
        version, indexes = state.version, state._search_indexes[1]
        _cached_ids(state, "contacts", late)  # reads neither move the version nor rebuild
        assert state.version == version and state._search_indexes[1] is indexes
    state.upsert_contact({"firstname": "Moved"}, id="1005")
    with state.lock:
        assert state.version > version
        assert "1005" not in _cached_ids(state, "contacts", early)
        assert list(_cached_ids(state, "contacts", late)) == ["1005"]
        assert state._search_indexes[1] is not indexes
    state.archive_contact("1005")
    with state.lock:
        assert list(_cached_ids(state, "contacts", late)) == []


class _Api:
    """syncd's keyset reader against the emulator's search (paged as the endpoint does)."""

    def __init__(self, state: HubSpotState):
        self.state, self.calls = state, 0

    def search(self, object_type: str, body: dict) -> dict:
        self.calls += 1
        q = parse_query(body)
        with self.state.lock:
            ids = _cached_ids(self.state, object_type, q)
            page = ids[q.offset:q.offset + q.limit]
            records = self.state.stores[object_type].records
            results = [{"id": i, "properties": dict(records[i].properties)} for i in page]
        return {"total": len(ids), "results": results}


def test_keyset_reading_through_the_index_sees_every_changed_contact_once():
    burst = iso(T0 + timedelta(minutes=3))
    rows = [contact_row(i, lastmodifieddate=burst if i % 3 == 0 else iso(T0 + timedelta(minutes=i)))
            for i in range(1, 1200)]
    state = HubSpotState.from_seed(seed(contacts=rows), clock=StepClock())
    api, lo, hi = _Api(state), _ms(T0), _ms(T0 + timedelta(minutes=900))
    pages = list(scan_changed(api, "contacts", time_prop="lastmodifieddate", properties=["email"],
                              since_ms=lo, until_ms=hi, page_size=200, skip=[(lo + 60_000, lo + 120_000)]))
    seen = [r["id"] for page in pages for r in page]
    expected = {str(1000 + i) for i in range(1, 1200) if i % 3 == 0 or (i < 900 and i not in (1, 2))}
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert count_changed(api, "contacts", time_prop="lastmodifieddate", lo=lo, hi=hi) == len(
        [i for i in range(1, 1200) if i % 3 == 0 or i <= 900])
