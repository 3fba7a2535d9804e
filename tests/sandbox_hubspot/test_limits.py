"""Rate limits: the rolling 10-second window, the daily count and the search limit."""

from __future__ import annotations

import json

import pytest
from hubspot.crm.contacts.exceptions import ApiException

from .conftest import seed


def get_page(portal):
    return portal.client().crm.contacts.basic_api.get_page_with_http_info(limit=1)


def search(portal):
    return portal.client().crm.contacts.search_api.do_search_with_http_info(
        public_object_search_request={"filterGroups": [], "limit": 1, "after": "0", "sorts": [],
                                      "properties": []})


def test_ten_second_window_gives_429_with_hubspot_body_and_headers(make_portal):
    portal = make_portal(seed(3), rate_limit_per_10s=3, daily_limit=100)
    remaining = [get_page(portal)[2]["X-HubSpot-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    with pytest.raises(ApiException) as err:
        get_page(portal)
    body = json.loads(err.value.body)
    assert err.value.status == 429
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert (body["errorType"], body["policyName"], body["status"]) == (
        "RATE_LIMIT", "TEN_SECONDLY_ROLLING", "error")
    headers = err.value.headers
    assert headers["X-HubSpot-RateLimit-Max"] == "3" and headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert headers["X-HubSpot-RateLimit-Daily-Remaining"] == "97"
    portal.clock.advance(seconds=10)
    assert get_page(portal)[1] == 200


def test_daily_limit_gives_429_daily_until_the_next_day(make_portal):
    portal = make_portal(seed(3), daily_limit=2)
    get_page(portal), get_page(portal)
    with pytest.raises(ApiException) as err:
        get_page(portal)
    assert json.loads(err.value.body)["policyName"] == "DAILY"
    assert json.loads(err.value.body)["message"] == "You have reached your daily limit."
    portal.clock.advance(days=1)
    assert get_page(portal)[2]["X-HubSpot-RateLimit-Daily-Remaining"] == "1"


def test_search_has_its_own_per_second_limit_and_no_limit_headers(make_portal):
    portal = make_portal(seed(3), search_per_second=2, rate_limit_per_10s=100)
    _, status, headers = search(portal)
    assert status == 200 and not any(h.startswith("X-HubSpot-RateLimit") for h in headers)
    search(portal)
    with pytest.raises(ApiException) as err:
        search(portal)
    assert json.loads(err.value.body)["policyName"] == "SECONDLY"
    assert get_page(portal)[1] == 200  # other endpoints are unaffected
    portal.clock.advance(seconds=1)
    assert search(portal)[1] == 200


def test_limits_change_at_run_time_and_none_means_unlimited(make_portal):
    portal = make_portal(seed(3), rate_limit_per_10s=1)
    get_page(portal)
    with pytest.raises(ApiException):
        get_page(portal)
    portal.settings.rate_limit_per_10s = None
    _, status, headers = get_page(portal)
    assert status == 200 and "X-HubSpot-RateLimit-Max" not in headers


def test_unauthenticated_requests_do_not_use_the_budget(make_portal):
    portal = make_portal(seed(3), rate_limit_per_10s=1)
    for _ in range(3):
        with pytest.raises(Exception):
            portal.client(token="bad").crm.contacts.basic_api.get_page()
    assert get_page(portal)[1] == 200
