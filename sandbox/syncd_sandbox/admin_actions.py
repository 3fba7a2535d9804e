"""The admin API's hooks for tests and checks: the clock, what sales does in Salesforce, and
the emulators' request logs. ``admin`` routes to ``handle``; bad input raises ``BadRequest``
naming the field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request

__all__ = ["RULES", "BadRequest", "handle"]

_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_UNITS = tuple(_SECONDS)
_MAX_STEP = timedelta(days=3650)
SYSTEMS = ("hubspot", "salesforce")


class BadRequest(Exception):
    """A 400 of the admin API: what is wrong, and the field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


RULES = [
    Rule("/clock", methods=["GET"], endpoint="clock"),
    Rule("/clock/advance", methods=["POST"], endpoint="advance_clock"),
    Rule("/salesforce/tasks/<record_id>/complete", methods=["POST"], endpoint="complete_task"),
    Rule("/salesforce/events", methods=["POST"], endpoint="log_event"),
    Rule("/salesforce/leads/<record_id>/status", methods=["POST"], endpoint="set_lead_status"),
    Rule("/requests/<system>", methods=["GET"], endpoint="requests"),
    Rule("/requests/<system>", methods=["DELETE"], endpoint="clear_requests"),
]


def _text(body: dict, name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} must be a non-empty string, found {value!r}", name)
    return value


def _delta(body: dict) -> timedelta:
    unknown = sorted(set(body) - set(_UNITS))
    if unknown or not body:
        raise BadRequest(f"give one or more of {', '.join(_UNITS)} (numbers >= 0)",
                         unknown[0] if unknown else "body")
    for unit, value in body.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise BadRequest(f"{unit} must be a number >= 0, found {value!r}", unit)
        if value > _MAX_STEP.total_seconds() / _SECONDS[unit]:
            raise BadRequest(f"{unit}: the clock moves at most {_MAX_STEP.days} days at a time", unit)
    return timedelta(**body)


def _sales(action, *args: Any, **kwargs: Any) -> dict:
    try:
        return action(*args, **kwargs)
    except ValueError as exc:  # SalesforceWriteError included: it names the rule broken
        raise BadRequest(str(exc), "record_id") from None


def _requests(control: Any, system: str, request: Request) -> dict:
    since = request.args.get("since", "0")
    if not since.isdigit():
        raise BadRequest(f"since must be a whole number, found {since!r}", "since")
    return {"requests": control.requests(system, method=request.args.get("method"),
                                         path=request.args.get("path"), since=int(since))}


def handle(control: Any, name: str, body: dict, request: Request, args: dict) -> Any:
    """Run one hook; ``body`` is the parsed JSON object (``{}`` when empty)."""
    if args.get("system") is not None and args["system"] not in SYSTEMS:
        raise BadRequest(f"system must be one of {', '.join(SYSTEMS)}", "system")
    if name == "clock":
        return {"now": control.now().isoformat()}
    if name == "advance_clock":
        return {"now": control.advance_clock(_delta(body)).isoformat()}
    if name == "complete_task":
        return _sales(control.complete_task, args["record_id"])
    if name == "log_event":
        minutes = body.get("minutes", 30)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise BadRequest(f"minutes must be a whole number >= 1, found {minutes!r}", "minutes")
        return _sales(control.log_event, _text(body, "who_id"),
                      subject=_text(body, "subject", required=False) or "Meeting", minutes=minutes)
    if name == "set_lead_status":
        return _sales(control.set_lead_status, args["record_id"], _text(body, "status"))
    if name == "requests":
        return _requests(control, args["system"], request)
    control.clear_requests(args["system"])
    return {"cleared": True}
