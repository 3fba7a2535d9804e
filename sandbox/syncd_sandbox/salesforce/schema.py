"""Typed view of the schema data, and the describe documents built from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ids import KEY_PREFIXES
from .schema_data import DEFAULT_SCHEMA, SYSTEM_FIELDS

__all__ = ["FieldDef", "ObjectSchema", "build_schema"]

_SOAP_TYPES = {"id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean",
               "datetime": "xsd:dateTime", "date": "xsd:date", "double": "xsd:double",
               "int": "xsd:int", "currency": "xsd:double"}
_KNOWN_TYPES = {"string", "email", "phone", "url", "textarea", "picklist", "reference",
                "boolean", "datetime", "date", "double", "int", "currency", "id"}
TEXT_TYPES = frozenset({"string", "email", "phone", "url", "textarea", "picklist"})


def _label(name: str) -> str:
    base = name[:-3] if name.endswith("__c") else name
    base = base.replace("_", " ")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", base).strip()


@dataclass(frozen=True, kw_only=True)
class FieldDef:
    """One field of one object, with the attributes describe reports."""

    name: str
    type: str
    label: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    createable: bool = True
    updateable: bool = True
    nillable: bool = True
    required: bool = False
    external_id: bool = False
    unique: bool = False
    restricted: bool = False
    values: tuple[str, ...] = ()
    default: str | None = None
    reference_to: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def relationship_name(self) -> str | None:
        """``Owner`` for ``OwnerId``: the name SOQL uses to reach the parent record."""
        if self.type == "reference" and self.name.endswith("Id") and self.name != "Id":
            return self.name[:-2]
        return None

    def describe(self) -> dict:
        """The field element of ``sobjects/{Object}/describe``."""
        picklist = [{"value": v, "label": v, "active": True, "defaultValue": v == self.default,
                     "validFor": None} for v in self.values]
        return {
            "name": self.name, "label": self.label, "type": self.type,
            "length": self.length, "byteLength": self.length * 3, "digits": 0,
            "precision": self.precision, "scale": self.scale,
            "soapType": _SOAP_TYPES.get(self.type, "xsd:string"),
            "picklistValues": picklist, "restrictedPicklist": self.restricted,
            "externalId": self.external_id, "unique": self.unique,
            "idLookup": self.external_id or self.type == "id",
            "createable": self.createable, "updateable": self.updateable,
            "nillable": self.nillable and not self.required,
            "defaultedOnCreate": self.default is not None or self.name == "OwnerId",
            "defaultValue": self.default, "custom": self.name.endswith("__c"),
            "calculated": False, "caseSensitive": False, "filterable": True,
            "sortable": self.type != "textarea", "referenceTo": list(self.reference_to),
            "relationshipName": self.relationship_name,
        }


def _field(name: str, spec: dict) -> FieldDef:
    kind = spec.get("type", "string")
    if kind not in _KNOWN_TYPES:
        raise ValueError(f"schema field {name!r}: unknown type {kind!r}; "
                         f"use one of {sorted(_KNOWN_TYPES)}")
    return FieldDef(
        name=name, type=kind, label=spec.get("label") or _label(name),
        length=int(spec.get("length", 255 if kind in TEXT_TYPES else 0)),
        precision=int(spec.get("precision", 0)), scale=int(spec.get("scale", 0)),
        createable=spec.get("createable", True), updateable=spec.get("updateable", True),
        nillable=spec.get("nillable", True), required=spec.get("required", False),
        external_id=spec.get("external_id", False), unique=spec.get("unique", False),
        restricted=spec.get("restricted", False), values=tuple(spec.get("values", ())),
        default=spec.get("default"), reference_to=tuple(spec.get("reference_to", ())))


@dataclass(frozen=True, kw_only=True)
class ObjectSchema:
    """Fields of one sObject, in describe order, with case-insensitive lookup."""

    name: str
    fields: dict[str, FieldDef]

    @property
    def key_prefix(self) -> str:
        return KEY_PREFIXES[self.name]

    @property
    def writable(self) -> bool:
        return any(f.createable for f in self.fields.values())

    def field(self, name: str) -> FieldDef | None:
        """The field called ``name`` (Salesforce field names are case-insensitive)."""
        found = self.fields.get(name)
        if found is None:
            found = self._lower().get(name.lower())
        return found

    def _lower(self) -> dict[str, FieldDef]:
        cache = self.__dict__.get("_lower_cache")
        if cache is None:
            cache = {k.lower(): v for k, v in self.fields.items()}
            object.__setattr__(self, "_lower_cache", cache)
        return cache

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field whose relationship name is ``name`` (``Owner`` -> OwnerId)."""
        return next((f for f in self.fields.values()
                     if (f.relationship_name or "").lower() == name.lower()), None)

    def describe(self, version: str) -> dict:
        """The ``sobjects/{Object}/describe`` document."""
        return {**self.summary(version),
                "fields": [f.describe() for f in self.fields.values()],
                "childRelationships": [], "recordTypeInfos": []}

    def summary(self, version: str) -> dict:
        """The element of the ``sobjects`` list for this object."""
        base = f"/services/data/{version}/sobjects/{self.name}"
        return {"name": self.name, "label": self.name, "labelPlural": self.name + "s",
                "keyPrefix": self.key_prefix, "custom": False, "queryable": True,
                "createable": self.writable, "updateable": self.writable,
                "deletable": self.writable, "searchable": True, "retrieveable": True,
                "urls": {"sobject": base, "describe": f"{base}/describe",
                         "rowTemplate": f"{base}/{{ID}}"}}


def build_schema(overrides: dict | None, lead_statuses: list[str],
                 default_status: str | None = None) -> dict[str, ObjectSchema]:
    """The org's schema: defaults, Lead Status values from the org, then the seed's overrides."""
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(DEFAULT_SCHEMA))
    if unknown:
        raise ValueError(f"schema_overrides: unknown object(s) {unknown}; "
                         f"known objects are {sorted(DEFAULT_SCHEMA)}")
    out = {}
    for obj, specs in DEFAULT_SCHEMA.items():
        merged = {**SYSTEM_FIELDS, **specs}
        if obj == "Lead":
            merged["Status"] = {**merged["Status"], "values": tuple(lead_statuses),
                                "default": default_status}
        for name, extra in overrides.get(obj, {}).items():
            merged[name] = {**merged.get(name, {}), **extra}
        out[obj] = ObjectSchema(name=obj, fields={n: _field(n, s) for n, s in merged.items()})
    return out
