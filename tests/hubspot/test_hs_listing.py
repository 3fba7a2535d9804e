"""When most of the portal changed, contacts are read by listing (100 a page under the
general limit) instead of search (200 a page under the far lower search limit): the
choice is made from the first search page's total at the configured limits."""

from __future__ import annotations

from datetime import timedelta

from hs_portal import small_seed, start_portal


def _ids(batches) -> list[str]:
    return [c.id for b in batches for c in b.contacts]


def _calls(connector) -> dict:
    return dict(connector.usage().calls)


def test_a_portal_that_changed_whole_is_listed_not_searched_and_nothing_is_missed_or_doubled():
    portal, served = start_portal(small_seed(600))
    try:
        connector = portal.connector(search_page_size=20, search_per_second=4, rate_limit_per_10s=190)
        real, pages = connector.api.list_contacts, []
        connector.api.list_contacts = lambda after, props: pages.append(after) or real(after, props)
        ids = _ids(portal.cycle(connector))
        assert sorted(ids) == sorted(set(ids)) and len(ids) == 600
        calls = _calls(connector)
        assert len(pages) == 6  # 600 by listing, 100 a page
        assert calls["POST /crm/v3/objects/contacts/search"] == 2  # the first page, and the portal's count
        portal.tick(minutes=30)
        portal.state.upsert_contact({"firstname": "Later"}, id="1007")
        assert _ids(portal.cycle(connector)) == ["1007"]  # the cursor goes on by search
    finally:
        served.shutdown()


def test_a_small_delta_stays_on_search():
    portal, served = start_portal(small_seed(600))
    try:
        connector = portal.connector(search_page_size=20, search_per_second=4, rate_limit_per_10s=190)
        portal.cycle(connector)
        portal.tick(minutes=30)
        for i in range(30):
            portal.state.upsert_contact({"firstname": "Edited"}, id=str(1001 + i))
        real, pages = connector.api.list_contacts, []
        connector.api.list_contacts = lambda after, props: pages.append(after) or real(after, props)
        assert len(_ids(portal.cycle(connector))) == 30
        assert pages == []
    finally:
        served.shutdown()


def test_a_change_made_while_the_listing_runs_is_read_by_the_next_cycle():
    portal, served = start_portal(small_seed(600))
    try:
        connector = portal.connector(search_page_size=20, search_per_second=4, rate_limit_per_10s=190,
                                     overlap=timedelta(minutes=5))
        real = connector.api.list_contacts
        state = {"pages": 0}

        def listing(after, properties):
            state["pages"] += 1
            if state["pages"] == 4:  # a contact already passed changes while the listing goes on
                portal.tick(seconds=1)
                portal.state.upsert_contact({"firstname": "Meanwhile"}, id="1002")
            if state["pages"] == 5:  # a long listing: one not reached yet changes minutes later
                portal.tick(minutes=7)
                portal.state.upsert_contact({"firstname": "Later still"}, id="1590")
            return real(after, properties)

        connector.api.list_contacts = listing
        portal.cycle(connector)
        portal.tick(minutes=15)
        assert "1002" in _ids(portal.cycle(connector))
    finally:
        served.shutdown()
