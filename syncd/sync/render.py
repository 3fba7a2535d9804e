"""The effects of a cycle as a plain, JSON-able plan: what ``syncd plan`` prints, and what a
cycle that carries them out writes (the two are compared field by field)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from syncd.effects import HubSpotWrite, RecordWrite, TaskWrite

__all__ = ["render_effects"]


def _record(e: RecordWrite) -> dict[str, Any]:
    return {"system": "salesforce", "object": e.object_name, "hubspot_id": e.hubspot_id,
            "action": "create" if e.matched_by is None else "update", "record_id": e.record_id,
            "fields": {k: {"old": e.old.get(k), "new": v, "rule": e.why.get(k, "")} for k, v in sorted(e.fields.items())}}


def _task(e: TaskWrite) -> dict[str, Any]:
    out = {"system": "salesforce", "object": "Task", "hubspot_id": e.hubspot_id, "action": "create",
           "key": e.key, "who_id": e.who_id, "fields": dict(sorted(e.fields.items()))}
    if e.sent_before:
        out["note"] = "a run that did not commit sent this task: if Salesforce has it, it is kept as it is"
    return out


def _hubspot(e: HubSpotWrite) -> dict[str, Any]:
    return {"system": "hubspot", "object": "contact", "hubspot_id": e.hubspot_id, "action": "update",
            "clear_first": list(e.clear_first),
            "properties": {k: {"old": e.old.get(k), "new": v, "rule": e.why.get(k, "")}
                           for k, v in sorted(e.properties.items())}}


_RENDER = {RecordWrite: ("records", _record), TaskWrite: ("tasks", _task), HubSpotWrite: ("hubspot", _hubspot)}


def render_effects(effects: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    """Effects grouped by kind, each sorted by person, in a stable order."""
    out: dict[str, list[dict[str, Any]]] = {"records": [], "tasks": [], "hubspot": [], "other": []}
    for effect in effects:
        group, render = _RENDER.get(type(effect), ("other", lambda e: {"type": type(e).__name__,
                                                                     "hubspot_id": getattr(e, "hubspot_id", None)}))
        out[group].append(render(effect))
    for rows in out.values():
        rows.sort(key=lambda r: (r["hubspot_id"] or "", r.get("object", ""), r.get("key", "")))
    return out
