"""Summary properties HubSpot derives on a contact from its engagement.

Dates move forward only (late-arriving data never moves them back); counters add one.
"""

from __future__ import annotations

from datetime import datetime

from .records import Record
from .timeutil import iso, parse_time

__all__ = ["later", "increment", "summarise_email_event", "summarise_engagement"]

_EMAIL_COUNTERS = {"DELIVERED": "hs_email_delivered", "OPEN": "hs_email_open",
                   "CLICK": "hs_email_click", "BOUNCE": "hs_email_bounce"}
_EMAIL_LATEST = {"SENT": "hs_email_last_send_date", "OPEN": "hs_email_last_open_date",
                 "CLICK": "hs_email_last_click_date"}


def later(record: Record, name: str, occurred: datetime, at: datetime) -> bool:
    """Move a date property forward to ``occurred``; late data never moves it back."""
    current = record.properties.get(name)
    if current and parse_time(current) >= occurred:
        return False
    return record.set(name, iso(occurred), at, "CALCULATED")


def increment(record: Record, name: str, at: datetime) -> None:
    """Add one to a counter property."""
    record.set(name, str(int(float(record.properties.get(name) or 0)) + 1), at, "CALCULATED")


def summarise_email_event(record: Record, kind: str, extra: dict, occurred: datetime,
                          at: datetime) -> None:
    """Counters, last dates and opt-out a marketing email event sets on its contact."""
    if kind in _EMAIL_COUNTERS:
        increment(record, _EMAIL_COUNTERS[kind], at)
    if kind in _EMAIL_LATEST:
        later(record, _EMAIL_LATEST[kind], occurred, at)
    if kind == "SPAMREPORT" or _unsubscribed(extra):
        record.set("hs_email_optout", "true", at, "CALCULATED")


def summarise_engagement(record: Record, kind: str, props: dict, occurred: datetime,
                         at: datetime) -> None:
    """Last-activity dates and contact counts an engagement sets on its contact."""
    later(record, "notes_last_updated", occurred, at)
    if kind != "notes":
        later(record, "hs_last_sales_activity_timestamp", occurred, at)
    incoming = props.get("hs_email_direction") == "INCOMING_EMAIL"
    if kind == "emails" and incoming:
        later(record, "hs_sales_email_last_replied", occurred, at)
    if kind in {"calls", "meetings"} or (kind == "emails" and not incoming):
        later(record, "notes_last_contacted", occurred, at)
        increment(record, "num_contacted_notes", at)


def _unsubscribed(extra: dict) -> bool:
    if extra.get("portalSubscriptionStatus") == "UNSUBSCRIBED":
        return True
    return any(isinstance(s, dict) and s.get("status") == "UNSUBSCRIBED"
               for s in extra.get("subscriptions") or [])
