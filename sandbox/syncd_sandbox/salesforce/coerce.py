"""Checks and converts one field value of a write, with Salesforce's error codes."""

from __future__ import annotations

from collections.abc import Callable

from .errors import RowError
from .ids import looks_like_id, normalize_id
from .schema import FieldDef
from .soql_values import format_datetime, parse_datetime, parse_temporal

__all__ = ["coerce_value"]

RefCheck = Callable[[str], str | None]  # id -> object name, None when no such live record


def _type_error(fld: FieldDef, value: object) -> RowError:
    return RowError(code="INVALID_TYPE_ON_FIELD_IN_RECORD",
                    message=f"{fld.label}: value not of required type: {value}",
                    fields=(fld.name,))


def _text(fld: FieldDef, value: object) -> str | RowError:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return _type_error(fld, value)
    text = value if isinstance(value, str) else str(value)
    if len(text) > fld.length:
        return RowError(code="STRING_TOO_LONG", fields=(fld.name,),
                        message=f"{fld.label}: data value too large: {text[:80]} "
                                f"(max length={fld.length})")
    if fld.type == "email" and not _plausible_email(text):
        return RowError(code="INVALID_EMAIL_ADDRESS", fields=(fld.name,),
                        message=f"{fld.label}: invalid email address: {text}")
    if fld.type == "picklist" and fld.restricted and text not in fld.values:
        return RowError(code="INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", fields=(fld.name,),
                        message=f"{fld.label}: bad value for restricted picklist field: {text}")
    return text


def _plausible_email(text: str) -> bool:
    local, at, domain = text.rpartition("@")
    return bool(at and local and "." in domain and " " not in text)


def _number(fld: FieldDef, value: object) -> float | int | RowError:
    if isinstance(value, str):
        try:
            value = float(value) if fld.type != "int" else int(value)
        except ValueError:
            return _type_error(fld, value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _type_error(fld, value)
    digits = (fld.precision or 18) - fld.scale
    if abs(value) >= 10 ** digits:
        return RowError(code="NUMBER_OUTSIDE_VALID_RANGE", fields=(fld.name,),
                        message=f"{fld.label}: value outside of valid range on numeric "
                                f"field: {value}")
    if fld.type == "int":
        return int(value)
    return float(round(value, fld.scale))


def _boolean(fld: FieldDef, value: object) -> bool | RowError:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return _type_error(fld, value)


def _temporal(fld: FieldDef, value: object) -> str | RowError:
    if not isinstance(value, str):
        return _type_error(fld, value)
    if fld.type == "datetime":
        parsed = parse_datetime(value)
        if parsed is None and parse_temporal(value):
            parsed = parse_datetime(value + "T00:00:00Z")
        return format_datetime(parsed) if parsed else _type_error(fld, value)
    found = parse_temporal(value[:10]) if len(value) >= 10 else None
    return found[1].isoformat() if found else _type_error(fld, value)


def _reference(fld: FieldDef, value: object, ref_check: RefCheck) -> str | RowError:
    if not looks_like_id(value):
        return RowError(code="MALFORMED_ID", fields=(fld.name,),
                        message=f"{fld.label}: id value of incorrect type: {value}")
    ident = normalize_id(value)
    kind = ref_check(ident)
    if kind is None or (fld.reference_to and kind not in fld.reference_to):
        return RowError(code="INVALID_CROSS_REFERENCE_KEY", fields=(fld.name,),
                        message=f"{fld.label}: id value of incorrect type: {value}"
                        if kind else "invalid cross reference id")
    return ident


def coerce_value(fld: FieldDef, value: object, ref_check: RefCheck) -> object:
    """The stored form of ``value`` for ``fld``, or a RowError. ``""`` and None mean null."""
    if value is None or value == "":
        return None
    if fld.is_text:
        return _text(fld, value)
    if fld.type in ("double", "int", "currency"):
        return _number(fld, value)
    if fld.type == "boolean":
        return _boolean(fld, value)
    if fld.type in ("datetime", "date"):
        return _temporal(fld, value)
    if fld.type in ("reference", "id"):
        return _reference(fld, value, ref_check)
    return _type_error(fld, value)
