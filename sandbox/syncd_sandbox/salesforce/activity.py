"""What the org derives from Tasks and Events.

- A Task is closed (``IsClosed``) when its Status is ``Completed``; ``CompletedDateTime`` is
  stamped when it closes and cleared when it is reopened.
- An Event's ``ActivityDate`` is the day of its ``StartDateTime`` and ``DurationInMinutes``
  the span to ``EndDateTime`` (an end before the start is ``FIELD_INTEGRITY_EXCEPTION``).
- A closed Task or an Event moves the ``LastActivityDate`` of the Lead or Contact in its
  ``WhoId`` forward (never back) to the Task's due date (``ActivityDate``; a Task without
  one counts the day it closed) or the Event's start day. As in Salesforce (help article
  "Difference between SystemModStamp and LastModifiedDate"), the roll-up is an automated
  update: it moves the person's ``SystemModstamp`` but not its ``LastModifiedDate``, so a
  SystemModstamp cursor sees it.
"""

from __future__ import annotations

from .errors import RowError
from .soql_values import parse_datetime

__all__ = ["derive_activity", "roll_up_activity"]

_PEOPLE = ("Lead", "Contact")


def derive_activity(obj: str, record: dict, previous: dict | None, now: str) -> RowError | None:
    """Fill the fields the org computes on a Task or Event; an error when they conflict."""
    if obj == "Task":
        closed = record.get("Status") == "Completed"
        was_closed = bool(previous and previous.get("IsClosed"))
        record["IsClosed"] = closed
        if not closed:
            record["CompletedDateTime"] = None
        elif not was_closed:
            record["CompletedDateTime"] = now
    elif obj == "Event":
        start = parse_datetime(record.get("StartDateTime") or "")
        end = parse_datetime(record.get("EndDateTime") or "")
        if start is None or end is None:
            return None  # the required-field check reports what is missing
        if end < start:
            return RowError(code="FIELD_INTEGRITY_EXCEPTION", fields=("EndDateTime",),
                            message="End Date/Time: End must be on or after Start")
        record["ActivityDate"] = start.date().isoformat()
        record["DurationInMinutes"] = int((end - start).total_seconds() // 60)
    return None


def roll_up_activity(ctx, obj: str, record: dict) -> None:
    """Move the LastActivityDate of the record's person forward (caller holds the lock)."""
    if obj not in ("Task", "Event") or not record.get("WhoId"):
        return
    if obj == "Task" and not record.get("IsClosed"):
        return
    day = record.get("ActivityDate") or (record.get("CompletedDateTime") or ctx.now)[:10]
    found = ctx.store.lookup(record["WhoId"])
    if found is None or found[0] not in _PEOPLE or found[1].get("IsDeleted"):
        return
    kind, person = found
    if (person.get("LastActivityDate") or "") < day:
        ctx.undo.append(ctx.store.put(kind, {**person, "LastActivityDate": day,
                                             "SystemModstamp": ctx.now}))
