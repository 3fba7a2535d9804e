"""Field- and record-level validation of a write, with Salesforce's error codes."""

from __future__ import annotations

from .coerce import coerce_value
from .errors import RowError

__all__ = ["clean_fields", "record_checks"]


def clean_fields(ctx, obj: str, payload: dict, creating: bool) -> tuple[dict, list]:
    """Stored values of the payload's fields, and every field error found."""
    schema = ctx.store.schemas[obj]
    clean, errors = {}, []
    for key, value in payload.items():
        if key == "attributes":
            continue
        fld = schema.field(key)
        if fld is None:
            errors.append(RowError(code="INVALID_FIELD", fields=(key,),
                                   message=f"No such column '{key}' on sobject of type {obj}"))
            continue
        if not (fld.createable if creating else fld.updateable):
            errors.append(RowError(
                code="INVALID_FIELD_FOR_INSERT_UPDATE", fields=(fld.name,),
                message=f"Unable to create/update fields: {fld.name}. Please check the "
                        "security settings of this field and verify that it is read/write "
                        "for your profile or permission set."))
            continue
        result = coerce_value(fld, value, ctx.store.live_kind)
        if isinstance(result, RowError):
            errors.append(result)
        else:
            clean[fld.name] = result
    return clean, errors


def record_checks(ctx, obj: str, record: dict, creating: bool) -> list:
    """Errors of the whole record: required fields, unique values, the Lead duplicate rule."""
    schema = ctx.store.schemas[obj]
    missing = [f.name for f in schema.fields.values()
               if (f.required or (not f.nillable and f.createable)) and record.get(f.name) is None]
    if missing:
        return [RowError(code="REQUIRED_FIELD_MISSING", fields=tuple(missing),
                         message=f"Required fields are missing: [{', '.join(missing)}]")]
    errors = []
    for fname in ctx.store.ext_fields[obj]:
        fld = schema.fields[fname]
        if fld.unique and record.get(fname) is not None:
            others = [i for i in ctx.store.by_external_id(obj, fname, record[fname])
                      if i != record["Id"]]
            if others:
                errors.append(RowError(
                    code="DUPLICATE_VALUE", fields=(fname,),
                    message=f"duplicate value found: {fname} duplicates value on record "
                            f"with id: {others[0]}"))
    if obj == "Lead" and creating and not ctx.allow_save and record.get("Email"):
        if any(not ctx.store.get("Lead", i)["IsConverted"]
               for i in ctx.store.leads_with_email(record["Email"])):
            errors.append(RowError(code="DUPLICATES_DETECTED",
                                   message="Use one of these records?"))
    return errors
