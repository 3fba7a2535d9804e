"""HubSpot's OpenAPI documents, loaded for contract checks.

The documents are read with four adjustments, each matching what HubSpot actually does:
property-value maps are nullable (HubSpot answers ``null`` for a requested property with no
value; the schemas say string), error bodies declared as ``*/*`` are read as JSON (they are
JSON), an empty ``content: {}`` means no body (openapi-core would demand one), and a search
sort may be ``{"propertyName", "direction"}`` as HubSpot's search guide shows, besides the
string the schema names.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["load_specs"]

# Specific documents first: contacts.json knows /crm/v3/objects/contacts better than objects.json.
_ORDER = ["contacts", "emails", "calls", "meetings", "notes", "tasks", "associations",
          "properties", "crmOwners", "events", "forms", "objects"]


def _adjust(node: Any) -> None:
    """Apply the three adjustments of the module docstring, recursively."""
    if isinstance(node, dict):
        content = node.get("content")
        if isinstance(content, dict) and "description" in node and "type" not in node:
            if not content:
                del node["content"]
            elif "*/*" in content and "application/json" not in content:
                content["application/json"] = content.pop("*/*")
        props = node.get("properties")
        if isinstance(props, dict):
            value_map = props.get("properties")
            if isinstance(value_map, dict) and isinstance(value_map.get("additionalProperties"), dict):
                value_map["additionalProperties"] = dict(value_map["additionalProperties"], nullable=True)
        for child in node.values():
            _adjust(child)
    elif isinstance(node, list):
        for child in node:
            _adjust(child)


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
            doc = json.loads(path.read_text())
            _adjust(doc)
            _allow_sort_objects(doc)
            server = doc.get("servers", [{"url": "https://api.hubapi.com"}])[0]["url"]
            templates = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"),
                          {m.lower() for m in ops}) for p, ops in doc["paths"].items()]
            self.entries.append((name, server, templates, OpenAPI.from_dict(doc)))

    def find(self, method: str, path: str) -> tuple[str, str, Any] | None:
        for name, server, templates, api in self.entries:
            if any(rx.match(path) and method.lower() in methods for rx, methods in templates):
                return name, server, api
        return None


@lru_cache(maxsize=4)
def load_specs(specs_dir: str) -> _Specs:
    """The documents of ``specs_dir`` (cached: building validators is slow)."""
    return _Specs(Path(specs_dir))
