"""Loading an org seed (the world generator's output) into the record store."""

from __future__ import annotations

from .ids import looks_like_id, normalize_id
from .soql_values import format_datetime, parse_datetime
from .store import Store

__all__ = ["SEED_TABLES", "load_records"]

SEED_TABLES = {"users": "User", "groups": "Group", "accounts": "Account", "leads": "Lead",
               "contacts": "Contact", "opportunities": "Opportunity", "tasks": "Task",
               "events": "Event"}
_KNOWN_KEYS = {"org_id", "lead_statuses", "schema_overrides", *SEED_TABLES}


def _seed_value(where: str, kind: str, value: object) -> object:
    if value is None:
        return None
    if kind in ("double", "currency", "int"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where}: {value!r} is not a number")
        return int(value) if kind == "int" else float(value)  # the API returns 42.0
    if kind not in ("datetime", "date"):
        return value
    parsed = parse_datetime(str(value)) if kind == "datetime" else None
    if kind == "datetime":
        if parsed is None:
            raise ValueError(f"{where}: {value!r} is not an ISO datetime "
                             "(use YYYY-MM-DDTHH:MM:SS.mmmZ)")
        return format_datetime(parsed)
    return str(value)[:10]


def _record(store: Store, obj: str, row: dict, where: str, now: str) -> dict:
    schema = store.schemas[obj]
    record = {name: f.default for name, f in schema.fields.items()}
    record.update({"IsDeleted": False, "CreatedDate": now, "LastModifiedDate": now})
    if "IsConverted" in record:
        record["IsConverted"] = False
    for key, value in row.items():
        fld = schema.field(key)
        if fld is None:
            raise ValueError(f"{where}.{key}: no such field on {obj}; "
                             f"known fields: {sorted(schema.fields)}")
        record[fld.name] = _seed_value(f"{where}.{key}", fld.type, value)
    ident = record.get("Id")
    if ident is not None and not looks_like_id(ident):
        raise ValueError(f"{where}.Id: {ident!r} is not a 15/18-character Salesforce id")
    record["Id"] = normalize_id(ident) if ident else store.new_id(obj)
    for ref in ("CreatedById", "LastModifiedById"):
        record[ref] = record.get(ref) or record.get("OwnerId")
    record["SystemModstamp"] = record.get("SystemModstamp") or record["LastModifiedDate"]
    if obj == "Task" and "IsClosed" not in row:
        record["IsClosed"] = record.get("Status") == "Completed"
    if obj in ("Lead", "Contact", "User") and not row.get("Name"):
        record["Name"] = " ".join(p for p in (record.get("FirstName"),
                                              record.get("LastName")) if p) or None
    return record


def load_records(store: Store, data: dict, statuses: list[dict], now: str) -> None:
    """Put every seeded record into ``store`` as given (seeds may hold dirty data on purpose)."""
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ValueError(f"Salesforce seed: unknown key(s) {unknown}; "
                         f"known keys are {sorted(_KNOWN_KEYS)}")
    for index, row in enumerate(statuses):
        store.put("LeadStatus", _record(store, "LeadStatus", row, f"lead_statuses[{index}]", now))
    for key, obj in SEED_TABLES.items():
        for index, row in enumerate(data.get(key) or []):
            record = _record(store, obj, row, f"{key}[{index}]", now)
            if record["Id"] in store.kind_of:
                raise ValueError(f"{key}[{index}].Id: {record['Id']} is used twice")
            store.put(obj, record)
