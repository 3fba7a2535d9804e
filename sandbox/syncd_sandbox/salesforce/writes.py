"""Record writes with Salesforce's validation, shared by REST, Collections, Bulk and the UI."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .activity import derive_activity, roll_up_activity
from .errors import RowError
from .ids import normalize_id
from .schema_data import READ_ONLY_OBJECTS
from .store import Store, Undo
from .validate import clean_fields, record_checks

__all__ = ["WriteContext", "Outcome", "create", "update", "upsert", "delete"]


@dataclass(kw_only=True)
class WriteContext:
    """Who writes and how: the API path injects lock errors and enforces the duplicate rule."""

    store: Store
    now: str                      # formatted timestamp stamped on every write
    user_id: str
    default_owner: str
    allow_save: bool = False      # Sforce-Duplicate-Rule-Header: allowSave=true
    lock_rate: float = 0.0
    rng: random.Random | None = None
    undo: list[Undo] = field(default_factory=list)


@dataclass(kw_only=True)
class Outcome:
    """Result of one record write: its id, created or not, and any errors."""

    id: str | None = None
    created: bool = False
    errors: list[RowError] = field(default_factory=list)
    matches: list[str] = field(default_factory=list)  # several external-id matches

    @property
    def ok(self) -> bool:
        return not self.errors and not self.matches


def _fail(*errors: RowError, ident: str | None = None) -> Outcome:
    return Outcome(id=ident, errors=list(errors))


def _locked(ctx: WriteContext, ident: str | None) -> RowError | None:
    # One draw per row, always, so a given seed yields the same failures in the same rows.
    if ctx.rng is None or ctx.rng.random() >= ctx.lock_rate:
        return None
    return RowError(code="UNABLE_TO_LOCK_ROW", message="unable to obtain exclusive access to "
                    f"this record or 1 records: {ident or 'record'}")


def _derive(obj: str, record: dict) -> None:
    if obj in ("Lead", "Contact", "User"):
        record["Name"] = " ".join(p for p in (record.get("FirstName"), record.get("LastName"))
                                  if p) or None
    if obj == "Opportunity" and record.get("StageName"):
        record["IsClosed"] = record["StageName"].startswith("Closed")
        record["IsWon"] = record["StageName"] == "Closed Won"


def _checked(ctx: WriteContext, obj: str, record: dict, previous: dict | None) -> list:
    """Derived fields filled in, then the record-level errors (empty when it may be saved)."""
    _derive(obj, record)
    conflict = derive_activity(obj, record, previous, ctx.now)
    if conflict is not None:
        return [conflict]
    return record_checks(ctx, obj, record, creating=previous is None)


def _save(ctx: WriteContext, obj: str, record: dict) -> None:
    ctx.undo.append(ctx.store.put(obj, record))
    roll_up_activity(ctx, obj, record)


def create(ctx: WriteContext, obj: str, payload: dict) -> Outcome:
    """Insert one record; errors are returned, nothing is raised."""
    if obj in READ_ONLY_OBJECTS:
        return _fail(RowError(code="INVALID_TYPE", message=f"entity type {obj} does not "
                              "support insert through the API"))
    lock = _locked(ctx, None)
    clean, errors = clean_fields(ctx, obj, payload, creating=True)
    if lock or errors:
        return _fail(*([lock] if lock else errors))
    schema = ctx.store.schemas[obj]
    record = {name: f.default for name, f in schema.fields.items()}
    record.update({"Id": ctx.store.new_id(obj), "IsDeleted": False, "CreatedDate": ctx.now,
                   "CreatedById": ctx.user_id, "LastModifiedDate": ctx.now,
                   "LastModifiedById": ctx.user_id, "SystemModstamp": ctx.now})
    for flag in ("IsConverted",):
        if flag in record:
            record[flag] = False
    if "OwnerId" in record:
        record["OwnerId"] = ctx.default_owner
    record.update(clean)
    errors = _checked(ctx, obj, record, None)
    if errors:
        return _fail(*errors)
    _save(ctx, obj, record)
    return Outcome(id=record["Id"], created=True)


def _malformed_id(record_id: object) -> Outcome:
    return _fail(RowError(code="MALFORMED_ID", message=f"invalid record id: {record_id}",
                          fields=("Id",)))


def update(ctx: WriteContext, obj: str, record_id: str, payload: dict) -> Outcome:
    """Change fields of one existing record."""
    if not isinstance(record_id, str):
        return _malformed_id(record_id)
    ident = normalize_id(record_id)
    lock = _locked(ctx, ident)
    current = ctx.store.get(obj, ident)
    if current is None:
        return _fail(RowError(code="INVALID_CROSS_REFERENCE_KEY" if ctx.store.lookup(ident)
                              else "MALFORMED_ID", message=f"invalid record id: {record_id}",
                              fields=("Id",)), ident=None)
    if current.get("IsDeleted"):
        return _fail(RowError(code="ENTITY_IS_DELETED", message="entity is deleted"), ident=ident)
    if current.get("IsConverted"):
        return _fail(RowError(code="CANNOT_UPDATE_CONVERTED_LEAD",
                              message="cannot reference converted lead"), ident=ident)
    clean, errors = clean_fields(ctx, obj, {k: v for k, v in payload.items() if k != "Id"}, False)
    if lock or errors:
        return _fail(*([lock] if lock else errors), ident=ident)
    record = {**current, **clean, "LastModifiedDate": ctx.now, "LastModifiedById": ctx.user_id,
              "SystemModstamp": ctx.now}
    errors = _checked(ctx, obj, record, current)
    if errors:
        return _fail(*errors, ident=ident)
    _save(ctx, obj, record)
    return Outcome(id=ident)


def upsert(ctx: WriteContext, obj: str, ext_field: str, value: object, payload: dict) -> Outcome:
    """Update the one record whose ``ext_field`` equals ``value``, or create it."""
    if value is None or value == "":
        return _fail(RowError(code="MISSING_ARGUMENT", fields=(ext_field,),
                              message=f"{ext_field} not specified"))
    if ext_field == "Id":
        return update(ctx, obj, str(value), payload)
    matches = ctx.store.by_external_id(obj, ext_field, value)
    if len(matches) > 1:
        return Outcome(matches=matches, errors=[RowError(
            code="DUPLICATE_EXTERNAL_ID", fields=(ext_field,),
            message=f"{ext_field}: more than one record found for external id field: "
                    f"{matches}")])
    body = {k: v for k, v in payload.items() if k.lower() != ext_field.lower()}
    if matches:
        return update(ctx, obj, matches[0], body)
    return create(ctx, obj, {**body, ext_field: value})


def delete(ctx: WriteContext, obj: str, record_id: str) -> Outcome:
    """Move one record to the recycle bin (it stays visible to queryAll)."""
    if not isinstance(record_id, str):
        return _malformed_id(record_id)
    ident = normalize_id(record_id)
    lock = _locked(ctx, ident)
    current = ctx.store.get(obj, ident)
    if current is None:
        return _fail(RowError(code="INVALID_CROSS_REFERENCE_KEY",
                              message="invalid cross reference id"))
    if current.get("IsDeleted"):
        return _fail(RowError(code="ENTITY_IS_DELETED", message="entity is deleted"), ident=ident)
    if lock:
        return _fail(lock, ident=ident)
    ctx.undo.append(ctx.store.put(obj, {**current, "IsDeleted": True,
                                        "SystemModstamp": ctx.now}))
    return Outcome(id=ident)
