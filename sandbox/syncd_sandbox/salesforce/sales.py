"""What sales does in the org's UI, for tests and checks: complete a task, log an event, set
a Lead's Status. Each write is made as the record's owner (a rep), validated like the UI
(``SalesforceState.insert``/``update``), and stamps SystemModstamp as any write does."""

from __future__ import annotations

from datetime import datetime, timedelta

from .soql_values import format_datetime

__all__ = ["complete_task", "log_event", "set_lead_status"]


def _owner_of(state, object_name: str, record_id: str) -> tuple[dict, str | None]:
    record = state.get(object_name, record_id)
    if record is None or record.get("IsDeleted"):
        raise ValueError(f"no live {object_name} with id {record_id}")
    owner = record.get("OwnerId")
    found = state.store.lookup(owner) if owner else None
    return record, owner if found and found[0] == "User" else None


def complete_task(state, task_id: str) -> dict:
    """Mark a Task ``Completed`` as its owner; returns the Task."""
    _task, rep = _owner_of(state, "Task", task_id)
    state.update("Task", task_id, {"Status": "Completed"}, as_user=rep)
    return state.get("Task", task_id)


def log_event(state, who_id: str, *, subject: str = "Meeting", start: datetime | None = None,
              minutes: int = 30) -> dict:
    """Log an Event on a Lead or Contact as its owner; returns the Event."""
    kind = state.store.live_kind(who_id)
    if kind not in ("Lead", "Contact"):
        raise ValueError(f"{who_id} is not a live Lead or Contact")
    _person, rep = _owner_of(state, kind, who_id)
    begin = start or state.clock()
    fields = {"WhoId": who_id, "Subject": subject, "StartDateTime": format_datetime(begin),
              "EndDateTime": format_datetime(begin + timedelta(minutes=minutes))}
    if rep:
        fields["OwnerId"] = rep
    return state.get("Event", state.insert("Event", fields, as_user=rep))


def set_lead_status(state, lead_id: str, status: str) -> dict:
    """Set a Lead's Status as its owner would (a restricted picklist value); returns the Lead."""
    _lead, rep = _owner_of(state, "Lead", lead_id)
    state.update("Lead", lead_id, {"Status": status}, as_user=rep)
    return state.get("Lead", lead_id)
