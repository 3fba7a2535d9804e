"""The sandbox's JSON admin API (plain HTTP on its own port).

========  ===========================  ==============================================
Method    Path                         Does
========  ===========================  ==============================================
GET       /health                      ``{"status": "ok", "endpoints": {...}}``
GET       /stats                       calls per system and endpoint
POST      /stats/reset                 zero the counters
GET       /faults                      the fault plan, with matched/fired per rule
PUT       /faults                      replace it: ``{"seed", "rules", "settings"}`` or
                                       ``{"spec": "..."}`` (see ``faults``); rule
                                       counters restart; knobs it does not name keep
                                       their values
PATCH     /settings/{system}           change emulator knobs: ``{"lock_error_rate": 0.1}``
POST      /salesforce/expire-sessions  invalidate every Salesforce session
GET       /dump                        ``{"hubspot": ..., "salesforce": ...}``
POST      /drift                       apply the next drift step (or ``{"step": N}``);
                                       answers the summary of what changed
GET       /clock                       ``{"now": ISO}``: the sandbox clock
POST      /clock/advance               ``{"hours": 5}`` (seconds/minutes/hours/days):
                                       move the clock forward; answers the new ``now``
POST      /salesforce/tasks/{id}/      a rep (the Task's owner) completes the Task;
          complete                     answers the Task
POST      /salesforce/events           ``{"who_id", "subject"?, "minutes"?}``: a rep
                                       logs an Event starting now; answers the Event
POST      /salesforce/leads/{id}/      ``{"status": "Nurture"}``: sales sets the Lead's
          status                       Status (a picklist value); answers the Lead
GET       /requests/{system}           ``{"requests": [...]}`` the emulator served,
                                       oldest first: ``seq, at, method, path, query,
                                       body, status, endpoint``; filters ``method``,
                                       ``path`` (exact), ``since`` (a ``seq``)
DELETE    /requests/{system}           forget the logged requests
========  ===========================  ==============================================

Bad input gets a 400 ``{"error": "...", "field": "..."}`` naming the field.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from syncd_sandbox import admin_actions
from syncd_sandbox.faults import FaultInjector, FaultPlan, FaultRule, FaultSpecError

__all__ = ["SandboxControl", "create_admin_app"]

_RULE_FIELDS = set(FaultRule.__dataclass_fields__)


class SandboxControl(Protocol):
    """What the admin API drives (``runtime.Sandbox`` implements it)."""

    faults: FaultInjector

    def health(self) -> dict[str, Any]: ...
    def stats(self) -> dict[str, Any]: ...
    def reset_stats(self) -> None: ...
    def apply_plan(self, plan: FaultPlan) -> None: ...
    def update_settings(self, system: str, changes: dict[str, Any]) -> dict[str, Any]: ...
    def expire_sessions(self) -> None: ...
    def dump(self) -> dict[str, Any]: ...
    def drift(self, step: int | None = None) -> dict[str, Any]: ...
    def now(self) -> Any: ...
    def advance_clock(self, delta: Any) -> Any: ...
    def complete_task(self, task_id: str) -> dict[str, Any]: ...
    def log_event(self, who_id: str, *, subject: str, minutes: int) -> dict[str, Any]: ...
    def set_lead_status(self, lead_id: str, status: str) -> dict[str, Any]: ...
    def requests(self, system: str, **filters: Any) -> list[dict[str, Any]]: ...
    def clear_requests(self, system: str) -> None: ...


_BadRequest = admin_actions.BadRequest


_ROUTES = Map([
    Rule("/health", methods=["GET"], endpoint="health"),
    Rule("/stats", methods=["GET"], endpoint="stats"),
    Rule("/stats/reset", methods=["POST"], endpoint="reset_stats"),
    Rule("/faults", methods=["GET"], endpoint="get_faults"),
    Rule("/faults", methods=["PUT"], endpoint="put_faults"),
    Rule("/settings/<system>", methods=["PATCH"], endpoint="settings"),
    Rule("/salesforce/expire-sessions", methods=["POST"], endpoint="expire_sessions"),
    Rule("/dump", methods=["GET"], endpoint="dump"),
    Rule("/drift", methods=["POST"], endpoint="drift"),
    *admin_actions.RULES,
])
_ACTIONS = frozenset(rule.endpoint for rule in admin_actions.RULES)


def _json_body(request: Request, *, required: bool) -> Any:
    raw = request.get_data()
    if not raw.strip():
        if required:
            raise _BadRequest("a JSON body is required", "body")
        return {}
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise _BadRequest(f"body is not valid JSON: {exc}", "body") from None


def _handle(control: SandboxControl, name: str, request: Request, args: dict) -> Any:
    if name in _ACTIONS:
        body = _json_body(request, required=False)
        if not isinstance(body, dict):
            raise _BadRequest("body must be a JSON object", "body")
        return admin_actions.handle(control, name, body, request, args)
    system = args.get("system")
    if name == "health":
        return control.health()
    if name == "stats":
        return control.stats()
    if name == "reset_stats":
        control.reset_stats()
        return control.stats()
    if name == "get_faults":
        return control.faults.snapshot()
    if name == "put_faults":
        control.apply_plan(FaultPlan.from_dict(_json_body(request, required=True)))
        return control.faults.snapshot()
    if name == "settings":
        body = _json_body(request, required=True)
        if not isinstance(body, dict) or not body:
            raise _BadRequest('body must be a non-empty object like {"lock_error_rate": 0.1}',
                              "body")
        return control.update_settings(system or "", body)
    if name == "expire_sessions":
        control.expire_sessions()
        return {"expired": True}
    if name == "dump":
        return control.dump()
    return _drift(control, _json_body(request, required=False))


def _drift(control: SandboxControl, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict) or set(body) - {"step"}:
        raise _BadRequest('body must be empty or {"step": N}', "body")
    step = body.get("step")
    if step is not None and (not isinstance(step, int) or isinstance(step, bool) or step < 0):
        raise _BadRequest(f"step must be a whole number >= 0, found {step!r}", "step")
    return control.drift(step)


def create_admin_app(control: SandboxControl):
    """The admin WSGI app driving ``control``."""
    def app(environ: dict, start_response):
        request = Request(environ)
        try:
            name, args = _ROUTES.bind_to_environ(environ).match()
            payload, status = _handle(control, name, request, args), 200
        except (_BadRequest, FaultSpecError) as exc:
            field = getattr(exc, "field", None) or _field_of(str(exc))
            payload, status = {"error": str(exc), "field": field}, 400
        except (NotFound, MethodNotAllowed) as exc:
            payload, status = {"error": exc.description, "field": None}, exc.code
        except HTTPException as exc:  # pragma: no cover - werkzeug's other refusals
            payload, status = {"error": exc.description, "field": None}, exc.code or 500
        body = json.dumps(payload, sort_keys=True, default=str).encode()
        return Response(body, status=status, mimetype="application/json")(environ, start_response)
    return app


def _field_of(message: str) -> str | None:
    """The leading ``where:`` of a ``FaultSpecError`` message, which names the bad field."""
    head, sep, rest = message.partition(": ")
    if not sep:
        return None
    name = rest.split(" ", 1)[0]
    return f"{head}.{name}" if head.endswith("]") and name in _RULE_FIELDS else head
