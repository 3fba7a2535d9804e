"""The client-side limiter on a fake monotonic clock: no real sleeps."""

from __future__ import annotations

import pytest

from connectors.hubspot.budget import ApiBudget
from datetime import time

from syncd.errors import BudgetExhausted


class FakeTime:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _budget(t: FakeTime, **kw) -> ApiBudget:
    values = {"per_10s": 5, "search_per_second": 2, "daily_limit": None, **kw}
    return ApiBudget(**values, monotonic=t.monotonic, sleep=t.sleep)


def _times_of(budget: ApiBudget, t: FakeTime, n: int, *, search: bool) -> list[float]:
    out = []
    for _ in range(n):
        budget.acquire("GET /x", search=search)
        out.append(t.now)
    return out


@pytest.mark.parametrize("search, limit, span", [(False, 5, 10.0), (True, 2, 1.0)])
def test_no_window_ever_holds_more_calls_than_the_limit(search, limit, span):
    t = FakeTime()
    times = _times_of(_budget(t), t, 23, search=search)
    for i in range(len(times) - limit):
        assert times[i + limit] - times[i] >= span  # any limit+1 calls span a full window
    assert t.slept, "the limiter had to wait"


def test_a_lane_reading_flat_out_leaves_the_next_free_slot_within_a_second():
    """One lane calls as fast as the window lets it: its pace stays at the limit (190 per
    10 s), spread over each window, so another lane's single call waits under a second for
    a slot instead of until the first lane's burst leaves the window."""
    t = FakeTime()
    budget = _budget(t, per_10s=190)
    times = _times_of(budget, t, 570, search=False)
    assert times[-1] - times[0] < 30.0  # the lane's own pace: 570 calls in 3 windows
    for i in range(len(times) - 190):
        assert times[i + 190] - times[i] >= 10.0
    waited = t.now
    budget.acquire("POST /crm/v4/associations/emails/contacts/batch/read", search=False)
    assert t.now - waited <= 1.01


def test_a_call_counts_from_its_answer_so_slow_answers_never_crowd_hubspots_window():
    """HubSpot counts a call when it arrives (between send and answer): the next calls are
    paced from the answers, so no second as HubSpot sees it holds more than the limit."""
    t = FakeTime()
    budget = _budget(t, search_per_second=2)
    arrivals = []
    for _ in range(12):
        cell = budget.acquire("POST /search", search=True)
        sent = t.now
        t.now += 0.3  # the request travels; HubSpot counts it on arrival, then answers
        arrivals.append(sent + 0.3)
        budget.answered(cell)
    gaps = [arrivals[i + 2] - arrivals[i] for i in range(len(arrivals) - 2)]
    assert len(gaps) == 10 and min(gaps) >= 1.0


def test_search_and_other_calls_have_separate_windows():
    t = FakeTime()
    budget = _budget(t, per_10s=50)  # 5 a second: the 5 general calls fit the spread too
    _times_of(budget, t, 5, search=False)
    _times_of(budget, t, 2, search=True)
    assert t.slept == []
    assert budget.calls["GET /x"] == 7


def test_the_daily_share_stops_calls_instead_of_waiting_for_tomorrow():
    t = FakeTime()
    budget = _budget(t, per_10s=None, daily_limit=10, share=0.5)
    _times_of(budget, t, 5, search=False)
    assert budget.remaining() == 0
    with pytest.raises(BudgetExhausted, match="share of HubSpot's daily API limit is spent") as spent:
        budget.acquire("GET /x", search=False)
    assert spent.value.resets_at.time() == time(0, 0) and "daily_budget_share" in spent.value.limit


def test_headers_from_hubspot_replace_our_own_count():
    t = FakeTime()
    budget = _budget(t, daily_limit=1000, share=0.5)
    budget.acquire("GET /x", search=False)
    budget.observe({"X-HubSpot-RateLimit-Daily": "1000", "X-HubSpot-RateLimit-Daily-Remaining": "600"})
    assert budget.remaining() == 100  # 500 allowed, 400 used by the portal already
    budget.acquire("GET /x", search=True)  # search responses carry no headers: count ourselves
    assert budget.remaining() == 99


def test_connector_usage_reports_calls_by_endpoint_and_budget(portal):
    connector = portal.connector(daily_limit=1000, daily_budget_share=0.5)
    portal.cycle(connector)
    usage = connector.usage()
    assert usage.calls["POST /crm/v3/objects/contacts/search"] >= 1
    assert usage.remaining == 500 - usage.total


def test_the_client_limiter_keeps_a_limited_portal_from_ever_answering_429():
    from hs_portal import TOKEN, small_seed, start_portal
    from structlog.testing import capture_logs

    from connectors.hubspot import HubSpotClientSettings, HubSpotConnector
    from connectors.hubspot.transport import HubSpotApi
    portal, served = start_portal(small_seed(), rate_limit_per_10s=4, search_per_second=2)
    try:
        waits: list[float] = []

        def sleep(seconds: float) -> None:  # waiting moves the portal's clock
            waits.append(seconds)
            portal.tick(seconds=seconds)
        settings = HubSpotClientSettings(base_url=portal.url, token=TOKEN, rate_limit_per_10s=4,
                                         search_per_second=2, daily_limit=None)
        budget = ApiBudget(per_10s=4, search_per_second=2, daily_limit=None,
                           monotonic=lambda: portal.clock.now().timestamp(), sleep=sleep)
        connector = HubSpotConnector(settings, api=HubSpotApi(settings, budget=budget, sleep=sleep))
        portal.state.record_email_event("p1@example.com", "OPEN", campaign_id=1)
        with capture_logs() as logs:
            portal.cycle(connector)
        assert [e for e in logs if e["event"] == "hubspot.retry"] == []
        assert waits and connector.usage().total > 6
        assert portal.audit()["missed"] == 0
    finally:
        served.shutdown()
