"""POST /crm/v3/properties/{objectType}: creating a custom contact property.

HubSpot's rules: a lower-case internal ``name`` unique per object type (409
``OBJECT_ALREADY_EXISTS`` when taken), a ``type`` and a ``fieldType`` that fit each other,
and ``options`` (each with ``label``, ``value``, ``hidden``) for enumerations. The new
property can be written and read at once, and is listed by the properties endpoints.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError
from .http import Ctx, json_response
from .portal import check_contact_type
from .timeutil import iso

__all__ = ["create_property"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
_FIELD_TYPES = {
    "string": {"text", "textarea", "html", "phonenumber", "file"},
    "phone_number": {"phonenumber", "text"},
    "number": {"number", "calculation_equation"},
    "bool": {"booleancheckbox"},
    "enumeration": {"select", "radio", "checkbox", "booleancheckbox", "calculation_equation"},
    "date": {"date"},
    "datetime": {"date"},
}
_OPTIONAL = {"description": str, "hidden": bool, "formField": bool, "hasUniqueValue": bool,
             "displayOrder": int}


def _bad(message: str, field: str) -> ApiError:
    return ApiError.validation(message, field=field)


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{key}: a non-empty string is required", key)
    return value


def _options(body: dict, kind: str) -> list[dict]:
    raw = body.get("options")
    if raw is None and kind != "enumeration":
        return []
    if not isinstance(raw, list) or (kind == "enumeration" and not raw):
        raise _bad("options: a non-empty list of {label, value, hidden} is required for "
                   "enumeration properties", "options")
    out, seen = [], set()
    for i, opt in enumerate(raw):
        if not (isinstance(opt, dict) and isinstance(opt.get("label"), str)
                and isinstance(opt.get("value"), str) and isinstance(opt.get("hidden"), bool)):
            raise _bad(f"options[{i}]: label and value (strings) and hidden (boolean) are "
                       "required", "options")
        if opt["value"] in seen:
            raise _bad(f"options[{i}].value: {opt['value']!r} is used twice", "options")
        seen.add(opt["value"])
        order = opt.get("displayOrder", i)
        out.append({"label": opt["label"], "value": opt["value"], "hidden": opt["hidden"],
                    "displayOrder": order if isinstance(order, int) else i,
                    "description": opt.get("description") or ""})
    return out


def _definition(body: Any, now: str) -> dict:
    if not isinstance(body, dict):
        raise _bad("The request body must be a JSON object", "body")
    name, label, kind = _text(body, "name"), _text(body, "label"), _text(body, "type")
    field_type, group = _text(body, "fieldType"), _text(body, "groupName")
    if not _NAME.match(name):
        raise _bad(f"name: {name!r} must start with a lower-case letter and hold only "
                   "lower-case letters, digits and underscores (at most 100)", "name")
    if kind not in _FIELD_TYPES:
        raise _bad(f"type: {kind!r} is not one of {', '.join(sorted(_FIELD_TYPES))}", "type")
    if field_type not in _FIELD_TYPES[kind]:
        raise _bad(f"fieldType: {field_type!r} does not fit type {kind!r}; use one of "
                   f"{', '.join(sorted(_FIELD_TYPES[kind]))}", "fieldType")
    for key, expected in _OPTIONAL.items():
        if key in body and (not isinstance(body[key], expected) or
                            (expected is int and isinstance(body[key], bool))):
            raise _bad(f"{key}: must be a {expected.__name__}", key)
    return {"name": name, "label": label, "type": kind, "fieldType": field_type,
            "groupName": group, "description": body.get("description", ""),
            "options": _options(body, kind), "hidden": body.get("hidden", False),
            "formField": body.get("formField", True), "displayOrder": body.get("displayOrder", -1),
            "hasUniqueValue": body.get("hasUniqueValue", False), "hubspotDefined": False,
            "createdAt": now, "updatedAt": now, "archived": False,
            "modificationMetadata": {"archivable": True, "readOnlyDefinition": False,
                                     "readOnlyValue": False}}


def create_property(ctx: Ctx, object_type: str) -> Any:
    """POST /crm/v3/properties/{objectType} (contacts): 201 with the new Property."""
    check_contact_type(object_type)
    state = ctx.state
    with state.lock:
        definition = _definition(ctx.body(), iso(state.now()))
        if definition["name"] in state.contact_defs:
            raise ApiError.of(409, "OBJECT_ALREADY_EXISTS",
                              f"Property named '{definition['name']}' already exists.")
        state.contact_defs[definition["name"]] = definition
        state.extra_props.append(definition)
        state.changed()
    response = json_response(definition, 201)
    response.headers["Location"] = f"/crm/v3/properties/{object_type}/{definition['name']}"
    return response
