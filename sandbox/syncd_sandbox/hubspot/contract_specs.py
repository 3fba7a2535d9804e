"""HubSpot's OpenAPI documents, loaded for contract checks.

The documents are read with four adjustments, each matching what HubSpot actually does:
the property-value maps of the objects HubSpot *returns* (``SimplePublicObject``,
``SimplePublicObjectWithAssociations``, ``SimplePublicUpsertObject``) are nullable (HubSpot
answers ``null`` for a requested property with no value; the schemas say string) — input
maps and every other schema stay as published; error bodies declared as ``*/*`` are read as
JSON (they are JSON), an empty ``content: {}`` means no body (openapi-core would demand
one), and a search sort may be ``{"propertyName", "direction"}`` as HubSpot's search guide
shows, besides the string the schema names.

``fuzz_document`` reads a document for request generation (schemathesis) and tightens the
places where the published schema is looser than HubSpot's API, so that generated *valid*
requests reach the handlers instead of stopping at a 400 every time:

- paging cursors (``after`` in query strings and search bodies) are digit strings: HubSpot
  only accepts cursors it handed out, and any other text is a 400;
- ``limit`` lies within HubSpot's bounds (1..100 for object lists, 1..200 for search,
  1..500 for owners and forms, 1..1000 for events).

Generated *invalid* requests (negative mode) are derived from the same schemas, so these
bounds are fuzzed from the outside too.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["adjusted_document", "fuzz_document", "load_specs"]

# Specific documents first: contacts.json knows /crm/v3/objects/contacts better than objects.json.
_ORDER = ["contacts", "emails", "calls", "meetings", "notes", "tasks", "associations",
          "properties", "crmOwners", "events", "forms", "objects"]


_RETURNED_OBJECTS = ("SimplePublicObject", "SimplePublicObjectWithAssociations",
                     "SimplePublicUpsertObject")


def _adjust(node: Any) -> None:
    """Read ``*/*`` error bodies as JSON and empty ``content`` as no body, recursively."""
    if isinstance(node, dict):
        content = node.get("content")
        if isinstance(content, dict) and "description" in node and "type" not in node:
            if not content:
                del node["content"]
            elif "*/*" in content and "application/json" not in content:
                content["application/json"] = content.pop("*/*")
        for child in node.values():
            _adjust(child)
    elif isinstance(node, list):
        for child in node:
            _adjust(child)


def _nullable_returned_values(doc: dict) -> None:
    """Values of returned objects' property maps may be ``null``; nothing else may."""
    schemas = doc.get("components", {}).get("schemas", {})
    for name in _RETURNED_OBJECTS:
        value_map = schemas.get(name, {}).get("properties", {}).get("properties")
        if isinstance(value_map, dict) and isinstance(value_map.get("additionalProperties"), dict):
            value_map["additionalProperties"] = dict(value_map["additionalProperties"], nullable=True)


_SORT_OBJECT = {"type": "object", "required": ["propertyName"],
                "properties": {"propertyName": {"type": "string"},
                               "direction": {"type": "string", "enum": ["ASCENDING", "DESCENDING"]}}}


def _allow_sort_objects(doc: dict) -> None:
    search = doc.get("components", {}).get("schemas", {}).get("PublicObjectSearchRequest")
    if search and "sorts" in search.get("properties", {}):
        search["properties"]["sorts"]["items"] = {"oneOf": [{"type": "string"}, _SORT_OBJECT]}


class _Specs:
    """Each document's server, path templates and openapi-core validator, in lookup order."""

    def __init__(self, specs_dir: Path):
        from openapi_core import OpenAPI
        self.entries = []
        for name in _ORDER:
            path = specs_dir / f"{name}.json"
            if not path.exists():
                continue
            doc = adjusted_document(specs_dir, name)
            server = doc.get("servers", [{"url": "https://api.hubapi.com"}])[0]["url"]
            templates = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"),
                          {m.lower() for m in ops}) for p, ops in doc["paths"].items()]
            self.entries.append((name, server, templates, OpenAPI.from_dict(doc)))

    def find(self, method: str, path: str) -> tuple[str, str, Any] | None:
        for name, server, templates, api in self.entries:
            if any(rx.match(path) and method.lower() in methods for rx, methods in templates):
                return name, server, api
        return None


def adjusted_document(specs_dir: Path, name: str) -> dict:
    """``<specs_dir>/<name>.json`` with the adjustments of the module docstring (a new copy)."""
    doc = json.loads((Path(specs_dir) / f"{name}.json").read_text())
    _adjust(doc)
    _nullable_returned_values(doc)
    _allow_sort_objects(doc)
    return doc


_LIMITS = {"/crm/v3/owners": 500, "/marketing/v3/forms": 500, "/events/v3/events": 1000}
_CURSOR = {"type": "string", "pattern": "^[0-9]{1,4}$"}


def fuzz_document(specs_dir: Path, name: str) -> dict:
    """The adjusted document, tightened for request generation (see the module docstring)."""
    doc = adjusted_document(specs_dir, name)
    for path, ops in doc["paths"].items():
        for op in ops.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if param.get("in") == "query" and param.get("name") == "after":
                    param["schema"] = dict(_CURSOR)
                elif param.get("in") == "query" and param.get("name") == "limit":
                    top = next((v for p, v in _LIMITS.items() if path.startswith(p)), 100)
                    param["schema"] = {"type": "integer", "minimum": 1, "maximum": top}
    search = doc.get("components", {}).get("schemas", {}).get("PublicObjectSearchRequest")
    if search:
        search["properties"]["after"] = dict(_CURSOR)
        search["properties"]["limit"] = {"type": "integer", "minimum": 1, "maximum": 200}
    return doc


@lru_cache(maxsize=4)
def load_specs(specs_dir: str) -> _Specs:
    """The documents of ``specs_dir`` (cached: building validators is slow)."""
    return _Specs(Path(specs_dir))
