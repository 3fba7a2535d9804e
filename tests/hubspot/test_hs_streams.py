"""Each stream pages completely, normalises to the right kind, and emits each event once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncd.models import EngagementKind

from hs_portal import FORM, NOW


def _activity(portal) -> None:
    s = portal.state
    for i in range(12):
        email = f"p{i}@example.com"
        s.record_email_event(email, "OPEN", campaign_id=7, occurred_at=NOW - timedelta(hours=i + 1))
        s.record_email_event(email, "CLICK", campaign_id=7, url="https://x.test/pricing",
                             occurred_at=NOW - timedelta(hours=i + 1, minutes=1))
        s.record_event(str(1001 + i), "e_visited_page", properties={"hs_url": f"https://x.test/{i}"},
                       occurred_at=NOW - timedelta(hours=i))
        s.record_form_submission(FORM, {"email": email, "firstname": f"P{i}"}, page_url="https://x.test/demo",
                                 occurred_at=NOW - timedelta(minutes=i))
        s.record_engagement("meetings", [str(1001 + i)], {"hs_meeting_title": "Demo"},
                            occurred_at=NOW + timedelta(days=2))
        portal.tick(seconds=1)
    s.record_email_event("p0@example.com", "STATUSCHANGE", campaign_id=7,
                         subscriptions=[{"id": 1, "status": "UNSUBSCRIBED"}])
    s.record_email_event("nobody@example.com", "OPEN", campaign_id=7)
    s.record_event("1001", "pe4000123_trial_started")
    s.record_engagement("emails", ["1001", "1002"], {"hs_email_direction": "INCOMING_EMAIL"})
    s.record_engagement("calls", ["1003"], {"hs_call_direction": "OUTBOUND"})
    s.record_engagement("notes", ["1004"], {"hs_note_body": "hi"})


SMALL_PAGES = {"search_page_size": 5, "event_page_size": 4, "email_event_page_size": 6,
               "form_page_size": 3, "association_batch_size": 7, "batch_size": 3}


def test_every_stream_pages_to_the_end_and_emits_each_event_once(portal):
    _activity(portal)
    connector = portal.connector(**SMALL_PAGES)
    portal.cycle(connector)
    result = portal.audit()
    assert result["missed"] == result["duplicated"] == result["unexpected"] == 0
    assert result["expected"] == 12 * 5 + 1 + 1 + 2 + 1 + 1
    calls = connector.usage().calls
    assert calls["GET /email/public/v1/events"] == 5  # 26 events, pages of 6
    assert calls["GET /events/v3/events"] == 4  # 13 events, pages of 4
    assert calls["GET /form-integrations/v1/submissions/forms/{formGuid}"] == 4  # 12 by 3
    assert calls["POST /crm/v3/objects/meetings/search"] == 3  # 12 by 5 (keyset: last page short)
    assert calls["POST /crm/v4/associations/meetings/contacts/batch/read"] == 3  # 12 by ≤ 7 in whole pages


def test_events_are_normalised_by_kind_with_their_attributes(portal):
    _activity(portal)
    batches = portal.cycle(portal.connector(hand_raise_forms=("Demo request",)))
    events = {e.id: e for b in batches for e in b.events}
    kinds = {e.kind for e in events.values()}
    assert kinds == {EngagementKind.EMAIL_OPEN, EngagementKind.EMAIL_CLICK, EngagementKind.EMAIL_UNSUBSCRIBE,
                     EngagementKind.PAGE_VIEW, EngagementKind.CUSTOM_EVENT, EngagementKind.FORM_SUBMISSION,
                     EngagementKind.MEETING, EngagementKind.EMAIL_REPLY, EngagementKind.CALL,
                     EngagementKind.NOTE}
    form = next(e for e in events.values() if e.kind is EngagementKind.FORM_SUBMISSION)
    assert form.attributes == {"form_id": FORM, "form_name": "Demo request", "page_url": "https://x.test/demo",
                               "hand_raise": True}
    click = next(e for e in events.values() if e.kind is EngagementKind.EMAIL_CLICK)
    assert click.attributes["url"] == "https://x.test/pricing" and click.contact_id.startswith("10")
    custom = next(e for e in events.values() if e.kind is EngagementKind.CUSTOM_EVENT)
    assert custom.attributes["event_name"] == "pe4000123_trial_started" and custom.contact_id == "1001"
    replies = sorted((e.id, e.contact_id) for e in events.values() if e.kind is EngagementKind.EMAIL_REPLY)
    assert [c for _, c in replies] == ["1001", "1002"] and replies[0][0].startswith("emails:")
    assert all(e.id.split(":")[0] in {"email_events", "events", "form_submissions", "meetings", "emails",
                                      "calls", "notes"} for e in events.values())


def test_events_without_a_contact_are_counted_not_silently_dropped(portal):
    _activity(portal)
    connector = portal.connector()
    portal.cycle(connector)
    assert connector.last_skipped == {"email event recipient is not a contact": 1}


@pytest.mark.parametrize("changed, expected_mode", [(1, "per_contact"), (12, "window")])
def test_a_cycle_reads_per_contact_when_that_costs_fewer_calls(portal, changed, expected_mode):
    _activity(portal)
    connector = portal.connector(email_event_page_size=6, event_page_size=4, late_sweep_every=timedelta(0))
    portal.cycle(connector)  # first read: windows, whose cost becomes the estimate
    portal.tick(minutes=15)
    for i in range(changed):
        portal.state.record_email_event(f"p{i}@example.com", "OPEN", campaign_id=8)
        portal.state.record_event(str(1001 + i), "e_visited_page", properties={"hs_url": "https://x.test/p"})
    before = dict(connector.usage().calls)
    portal.cycle(connector)
    assert connector.last_plan["email_events"]["mode"] == expected_mode
    assert connector.last_plan["events"]["mode"] == expected_mode
    spent = connector.usage().calls["GET /email/public/v1/events"] - before["GET /email/public/v1/events"]
    plan = connector.last_plan["email_events"]
    if expected_mode == "per_contact":
        assert spent == plan["per_contact_calls"] < plan["window_calls_estimate"]
    else:  # the window read (7 pages of 6) was indeed cheaper than 12 per-contact calls
        assert spent < plan["per_contact_calls"]
    result = portal.audit()
    assert result["missed"] == result["duplicated"] == 0
