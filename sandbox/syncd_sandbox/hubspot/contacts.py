"""Contact write rules shared by the API and scenario helpers: validation, unique email,
forward-only lifecycle stage, stage-entry dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .errors import standard_error
from .properties import READ_ONLY, normalize_value
from .records import ObjectStore, Record
from .timeutil import iso

__all__ = ["ContactRules", "WriteError"]


class WriteError(Exception):
    """A rejected write of one record; ``entry`` is its 207/400 StandardError entry."""

    def __init__(self, category: str, message: str, ids: list[str], status: int = 400):
        super().__init__(message)
        self.status = status
        self.entry = standard_error(category, message, ids)


class ContactRules:
    """Validates and applies contact property writes against one portal's definitions."""

    def __init__(self, store: ObjectStore, defs: dict[str, dict], stages: list[dict]):
        self.store, self.defs = store, defs
        ordered = sorted(stages, key=lambda s: s["displayOrder"])
        self.rank = {s["value"]: i for i, s in enumerate(ordered)}
        self.email_index: dict[str, str] = {}

    def clean(self, props: Any, ref: str, *, allow_read_only: bool = False) -> dict[str, str]:
        """Normalised values of ``props`` or ``WriteError`` naming the first bad property."""
        if not isinstance(props, dict):
            raise WriteError("VALIDATION_ERROR", "properties: must be an object of name: value",
                             [ref])
        out: dict[str, str] = {}
        for name, raw in props.items():
            definition = self.defs.get(name)
            if definition is None:
                raise WriteError("VALIDATION_ERROR", f'Property "{name}" does not exist', [ref])
            if name in READ_ONLY and not allow_read_only:
                raise WriteError("VALIDATION_ERROR",
                                 f'Property "{name}" is read-only and cannot be set', [ref])
            if raw is not None and not isinstance(raw, str | int | float | bool):
                raise WriteError("VALIDATION_ERROR", f'Property "{name}": value must be a string',
                                 [ref])
            text = "" if raw is None else str(raw).lower() if isinstance(raw, bool) else str(raw)
            try:
                out[name] = normalize_value(definition, text)
            except ValueError as exc:
                raise WriteError("VALIDATION_ERROR", f'Property "{name}": {exc}', [ref]) from None
        return out

    def check_email(self, clean: dict[str, str], own_id: str | None) -> None:
        """Emails are unique per portal: a second contact with one gets a 409 CONFLICT."""
        email = (clean.get("email") or "").lower()
        holder = self.email_index.get(email) if email else None
        if holder is not None and holder != own_id:
            raise WriteError("CONFLICT", f"Contact already exists. Existing ID: {holder}",
                             [own_id or email], status=409)

    def apply(self, record: Record, clean: dict[str, str], at: datetime, *,
              stage_before: str | None, forward_only: bool = True) -> bool:
        """Apply cleaned values; a backward stage move is ignored unless the stage was
        blank before this request (HubSpot's rule). Returns whether anything changed."""
        changed = False
        for name, value in clean.items():
            if name == "lifecyclestage" and forward_only and value and stage_before:
                if self.rank.get(value, -1) < self.rank.get(stage_before, -1):
                    continue
            if name == "email":
                self._reindex(record, value)
            if record.set(name, value, at):
                changed = True
                if name == "lifecyclestage" and value:
                    record.set(f"hs_lifecyclestage_{value}_date", iso(at), at)
        if changed:
            self.store.touch(record, at)
        return changed

    def index(self, record: Record) -> None:
        """Register a record's email (and additional emails) for idProperty=email lookups."""
        for email in _emails(record):
            self.email_index.setdefault(email, record.id)

    def unindex(self, record: Record) -> None:
        """Forget a record's emails."""
        for email in _emails(record):
            if self.email_index.get(email) == record.id:
                del self.email_index[email]

    def _reindex(self, record: Record, new_email: str) -> None:
        old = (record.properties.get("email") or "").lower()
        if old and self.email_index.get(old) == record.id:
            del self.email_index[old]
        if new_email:
            self.email_index[new_email.lower()] = record.id


def _emails(record: Record) -> list[str]:
    main = (record.properties.get("email") or "").lower()
    extra = (record.properties.get("hs_additional_emails") or "").lower().split(";")
    return [e for e in [main, *extra] if e]
