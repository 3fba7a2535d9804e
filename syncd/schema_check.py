"""Check the field mapping against Salesforce's live schema before anything is written.

A mapping that names a field the org does not have, cannot write, or whose picklist does
not accept the values syncd will write, fails here with one issue per problem, instead of
failing row by row in Salesforce.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from syncd.errors import ConfigIssue
from syncd.mapping import FieldMapping
from syncd.ports import ObjectSchema

__all__ = ["check_hubspot_properties", "check_mapping_against_schema"]


def check_mapping_against_schema(mapping: FieldMapping, schemas: Mapping[str, ObjectSchema], *,
                                 file: str, picklist_values: Mapping[str, Iterable[str]] = {}
                                 ) -> list[ConfigIssue]:
    """Issues for every mapped or computed field missing, read-only or with a picklist mismatch.

    ``picklist_values`` maps a computed key (``stage``, ``intent``, ``grade``) to the values
    syncd may write there.
    """
    issues: list[ConfigIssue] = []
    for object_name, schema in sorted(schemas.items()):
        for index, rule in enumerate(mapping.fields):
            target = rule.target(object_name)
            if rule.rule != "dont_sync" and target:
                issues += _check_field(schema, target, file, f"fields[{index}]", object_name)
        for key, target in mapping.computed.targets().items():
            path = f"computed.{key}"
            found = _check_field(schema, target, file, path, object_name)
            issues += found
            if not found and key in picklist_values:
                issues += _check_picklist(schema, target, picklist_values[key], file, path, object_name)
        issues += _check_field(schema, mapping.salesforce.external_id_field, file,
                               "salesforce.external_id_field", object_name, external=True)
    return issues


def _check_field(schema: ObjectSchema, name: str, file: str, path: str, object_name: str,
                 *, external: bool = False) -> list[ConfigIssue]:
    field = schema.fields.get(name)
    if field is None:
        close = difflib.get_close_matches(name, list(schema.fields), n=1)
        return [ConfigIssue(file=file, path=path, message=f"{object_name} has no field '{name}'",
                            hint=f"did you mean '{close[0]}'?" if close else
                            "create the field in Salesforce or fix the name (API names end in __c)")]
    if not field.updateable:
        return [ConfigIssue(file=file, path=path, message=f"{object_name}.{name} is read-only",
                            hint="map a writable field or set rule = \"dont_sync\"")]
    if external and not field.external_id:
        return [ConfigIssue(file=file, path=path,
                            message=f"{object_name}.{name} is not marked as an External ID",
                            hint="tick 'External ID' (and 'Unique') on the field in Salesforce")]
    return []


def _check_picklist(schema: ObjectSchema, name: str, values: Iterable[str], file: str, path: str,
                    object_name: str) -> list[ConfigIssue]:
    allowed = set(schema.fields[name].picklist)
    if not allowed:
        return []
    missing = sorted(set(values) - allowed)
    if not missing:
        return []
    return [ConfigIssue(file=file, path=path,
                        message=f"{object_name}.{name} does not accept {', '.join(missing)}",
                        expected=f"one of {', '.join(sorted(allowed))}",
                        hint="add the values to the picklist or map the stages differently in scoring.toml")]


def check_hubspot_properties(wanted: Iterable[tuple[str, str, str]], portal: Mapping[str, object]
                             ) -> list[ConfigIssue]:
    """Issues for every ``(file, key path, property)`` the portal does not define: a mapping
    that reads a property HubSpot does not have would silently read nothing."""
    issues = []
    for file, path, name in wanted:
        if name in portal:
            continue
        close = difflib.get_close_matches(name, list(portal), n=1)
        issues.append(ConfigIssue(file=file, path=path,
                                  message=f"HubSpot has no contact property '{name}'",
                                  hint=f"did you mean '{close[0]}'?" if close else
                                  "create the property in HubSpot or fix the internal name "
                                  "(Settings > Properties shows it)"))
    return issues
