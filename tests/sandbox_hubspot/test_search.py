"""Search through the real client: operators, sorting, paging past 200, the results cap."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hubspot.crm.contacts.exceptions import ApiException

from .conftest import T0, contact_row, seed


def search(client, filters=None, *, groups=None, limit=100, after="0", sorts=None, props=None):
    body = {"filterGroups": groups if groups is not None else ([{"filters": filters}] if filters else []),
            "limit": limit, "after": after, "sorts": sorts or [], "properties": props or ["email"]}
    return client.crm.contacts.search_api.do_search(public_object_search_request=body)


def ids(page) -> list[str]:
    return [r.id for r in page.results]


@pytest.fixture
def varied(make_portal):
    rows = [contact_row(i) for i in range(1, 11)]
    rows[0]["properties"].update(hs_analytics_num_page_views="50", jobtitle="VP Sales")
    rows[1]["properties"].update(hs_analytics_num_page_views="500", jobtitle="Sales Engineer")
    rows[2]["properties"].update(hs_analytics_num_page_views="5", lifecyclestage="customer")
    return make_portal(seed(contacts=rows))


MS_T0_PLUS_5 = str(int((T0 + timedelta(minutes=5)).timestamp() * 1000))


@pytest.mark.parametrize("flt, expected", [
    ({"propertyName": "email", "operator": "EQ", "value": "PERSON2@example2.com"}, ["1002"]),
    ({"propertyName": "hs_analytics_num_page_views", "operator": "GT", "value": "10"}, ["1001", "1002"]),
    ({"propertyName": "hs_analytics_num_page_views", "operator": "LTE", "value": "50"}, ["1001", "1003"]),
    ({"propertyName": "hs_analytics_num_page_views", "operator": "BETWEEN", "value": "40", "highValue": "600"},
     ["1001", "1002"]),
    ({"propertyName": "hs_analytics_num_page_views", "operator": "HAS_PROPERTY"}, ["1001", "1002", "1003"]),
    ({"propertyName": "createdate", "operator": "LT", "value": MS_T0_PLUS_5},
     ["1001", "1002", "1003", "1004"]),
    ({"propertyName": "createdate", "operator": "GTE", "value": "2026-03-01T12:09:00Z"}, ["1009", "1010"]),
    ({"propertyName": "lifecyclestage", "operator": "IN", "values": ["customer"]}, ["1003"]),
    ({"propertyName": "jobtitle", "operator": "CONTAINS_TOKEN", "value": "sales"}, ["1001", "1002"]),
    ({"propertyName": "jobtitle", "operator": "CONTAINS_TOKEN", "value": "eng*"}, ["1002"]),
])
def test_operators_select_the_matching_contacts(varied, flt, expected):
    assert ids(search(varied.client(), [flt])) == expected


@pytest.mark.parametrize("flt, count", [
    ({"propertyName": "hs_analytics_num_page_views", "operator": "NOT_HAS_PROPERTY"}, 7),
    ({"propertyName": "lifecyclestage", "operator": "NEQ", "value": "lead"}, 1),
    ({"propertyName": "lifecyclestage", "operator": "NOT_IN", "values": ["lead"]}, 1),
    ({"propertyName": "jobtitle", "operator": "NOT_CONTAINS_TOKEN", "value": "vp"}, 9),
])
def test_negative_operators(varied, flt, count):
    assert search(varied.client(), [flt]).total == count


def test_filter_groups_are_ored_and_filters_anded(varied):
    groups = [{"filters": [{"propertyName": "hs_analytics_num_page_views", "operator": "GT", "value": "100"}]},
              {"filters": [{"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"},
                           {"propertyName": "hs_analytics_num_page_views", "operator": "LT", "value": "10"}]}]
    assert ids(search(varied.client(), groups=groups)) == ["1002", "1003"]


def test_sort_descending_by_date_and_missing_values_last(varied):
    page = search(varied.client(), sorts=[{"propertyName": "createdate", "direction": "DESCENDING"}])
    assert ids(page)[:3] == ["1010", "1009", "1008"]
    page = search(varied.client(), sorts=["-hs_analytics_num_page_views"])
    assert ids(page)[:4] == ["1002", "1001", "1003", "1004"]


def test_paging_past_200_returns_every_contact_once(make_portal):
    portal = make_portal(seed(450))
    client, seen, after, pages = portal.client(), [], "0", 0
    while after is not None:
        page = search(client, limit=200, after=after)
        assert page.total == 450
        seen += ids(page)
        pages += 1
        after = page.paging.next.after if page.paging else None
    assert pages == 3 and len(seen) == 450 == len(set(seen))


def test_archived_and_merged_away_contacts_are_not_found(portal):
    portal.state.archive_contact("1003")
    portal.state.merge_contacts("1001", "1002")
    page = search(portal.client(), limit=100)
    assert {"1002", "1003"}.isdisjoint(ids(page)) and page.total == 18


def test_cap_blocks_paging_beyond_it_but_total_is_true(make_portal):
    portal = make_portal(seed(120), search_total_cap=50)
    client = portal.client()
    first = search(client, limit=40)
    assert first.total == 120 and first.paging.next.after == "40"
    second = search(client, limit=40, after="40")
    assert ids(second) == [str(1000 + i) for i in range(41, 51)]  # cut at the cap
    with pytest.raises(ApiException) as err:
        search(client, limit=40, after=second.paging.next.after)
    assert err.value.status == 400
    body = json.loads(err.value.body)
    assert body["category"] == "VALIDATION_ERROR" and "after" in body["message"]


def test_the_real_10000_cap_with_one_shared_lastmodifieddate(make_portal):
    burst = "2026-03-05T08:00:00.000Z"
    rows = [contact_row(i, lastmodifieddate=burst) for i in range(1, 10_051)]
    portal = make_portal(seed(contacts=rows))
    client = portal.client()
    same = [{"propertyName": "lastmodifieddate", "operator": "EQ", "value": burst}]
    page = search(client, same, limit=200, after="9800")
    assert page.total == 10_050 and page.paging.next.after == "10000"
    assert ids(page)[-1] == "11000"
    with pytest.raises(ApiException) as err:
        search(client, same, limit=200, after="10000")
    assert err.value.status == 400


@pytest.mark.parametrize("body, field", [
    ({"limit": 201}, "limit"),
    ({"filterGroups": [{"filters": []}] * 7}, "filterGroups"),
    ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "x"}] * 6}] * 4},
     "filterGroups"),
    ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE", "value": "x"}]}]},
     "filterGroups"),
    ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "IN"}]}]}, "filterGroups"),
    ({"sorts": ["email", "firstname"]}, "sorts"),
])
def test_invalid_search_requests_get_400_naming_the_field(portal, body, field):
    with pytest.raises(ApiException) as err:
        portal.client().crm.contacts.search_api.do_search(public_object_search_request=body)
    payload = json.loads(err.value.body)
    assert err.value.status == 400 and payload["category"] == "VALIDATION_ERROR"
    assert payload["errors"][0]["in"] == field


def test_free_text_query_matches_default_searchable_properties(portal):
    body = {"query": "last17", "filterGroups": [], "limit": 10, "after": "0", "sorts": [],
            "properties": ["email"]}
    page = portal.client().crm.contacts.search_api.do_search(public_object_search_request=body)
    assert ids(page) == ["1017"]


def test_search_sees_changes_made_between_pages(portal):
    client = portal.client()
    flt = [{"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}]
    assert search(client, flt).total == 0
    portal.state.upsert_contact({"lifecyclestage": "customer"}, id="1005")
    assert ids(search(client, flt)) == ["1005"]
