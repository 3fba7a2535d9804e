"""Contact writes: batch update and create, 100 per call, one result per row in order.

A 207 answer carries per-record errors; each is matched back to its row by id (update) or
by its position among the inputs that have no result (create, keyed by email).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from syncd.models import WriteResult

from .timeutil import parse_ms
from .transport import HubSpotApi

__all__ = ["BATCH", "create_contacts", "update_contacts"]

BATCH = 100
_RETRIABLE = frozenset({"RATE_LIMITS", "LOCKED", "CONFLICT"})


def update_contacts(api: HubSpotApi, rows: Sequence[Mapping[str, Any]],
                    versions: dict[str, int] | None = None) -> list[WriteResult]:
    """``rows``: ``{"id": contact id, "properties": {...}}``; results keyed by id. With
    ``versions``, each updated contact's new ``updatedAt`` (epoch ms) is noted there."""
    out: list[WriteResult] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        body = api.batch_update_contacts([{"id": str(r["id"]), "properties": dict(r["properties"])} for r in chunk])
        done = {str(r.get("id")) for r in body.get("results") or []}
        if versions is not None:
            _note_versions(body, versions)
        failed = _errors_by_id(body)
        for row in chunk:
            key = str(row["id"])
            out.append(WriteResult(key=key, ok=True, id=key) if key in done else _failure(key, failed.get(key)))
    return out


def create_contacts(api: HubSpotApi, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
    """``rows``: ``{"properties": {...}}`` with an ``email``; results keyed by email."""
    out: list[WriteResult] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        body = api.batch_create_contacts([{"properties": dict(r["properties"])} for r in chunk])
        made = {(r.get("properties") or {}).get("email", "").lower(): str(r.get("id"))
                for r in body.get("results") or []}
        errors = list(body.get("errors") or [])
        for row in chunk:
            key = str(row["properties"].get("email") or "").lower()
            if key in made:
                out.append(WriteResult(key=key, ok=True, id=made[key], created=True))
            else:
                out.append(_failure(key, errors.pop(0) if errors else None))
    return out


def _note_versions(body: Mapping[str, Any], versions: dict[str, int]) -> None:
    for r in body.get("results") or []:
        stamp = r.get("updatedAt") or (r.get("properties") or {}).get("lastmodifieddate")
        if r.get("id") is None or not stamp:
            continue
        try:
            ms = parse_ms(stamp, field="updatedAt")
        except ValueError:  # not noted: the window's count then differs and it is read again
            continue
        versions[str(r["id"])] = max(ms, versions.get(str(r["id"]), ms))


def _errors_by_id(body: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found = {}
    for error in body.get("errors") or []:
        for ref in (error.get("context") or {}).get("ids") or []:
            found[str(ref)] = error
    return found


def _failure(key: str, error: Mapping[str, Any] | None) -> WriteResult:
    if error is None:
        return WriteResult(key=key, ok=False, error_code="NO_RESULT", retriable=True,
                           message="HubSpot returned no result for this row")
    category = str(error.get("category") or "ERROR")
    return WriteResult(key=key, ok=False, error_code=category, message=str(error.get("message") or ""),
                       retriable=category in _RETRIABLE)
