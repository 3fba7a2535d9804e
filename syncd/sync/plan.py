"""Plan the Salesforce writes: compare what a record should hold with what it holds.

Only fields whose value would change are sent; a record with nothing to change costs no
call. Mapped fields follow their sync rule; computed fields (stage, score, intent, profile)
always follow syncd.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers

from syncd.mapping import FieldMapping, FieldRule
from syncd.models import CrmRecord, HubSpotContact
from syncd.effects import RecordWrite
from syncd.timefmt import as_instant

__all__ = ["Computed", "plan_write", "same_value", "transform"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Computed:
    """What syncd computed for one contact, by ``ComputedFields`` key."""

    values: Mapping[str, Any]


def transform(kind: str, value: str | None, *, region: str) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if kind == "lower":
        return text.lower()
    if kind == "upper":
        return text.upper()
    if kind == "title":
        return text.title()
    if kind == "e164":
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return text
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return text
    return text if kind == "strip" else str(value)


def _mapped_value(rule: FieldRule, contact: HubSpotContact, current: Mapping[str, Any] | None,
                  last_written: Mapping[str, Any], target: str, region: str) -> tuple[bool, Any]:
    """(write?, value) for one mapped field under its sync rule."""
    value = transform(rule.transform, contact.properties.get(rule.hubspot), region=region)
    if value is None and not rule.blank_overwrites:
        return False, None
    sf_value = None if current is None else current.get(target)
    if rule.rule == "always_hubspot":
        return True, value
    if rule.rule == "prefer_salesforce_unless_blank":
        return _blank(sf_value), value
    if rule.rule == "two_way":
        if target in last_written:
            return not same_value(last_written[target], value), value
        return _blank(sf_value) or current is None, value
    return False, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def same_value(a: Any, b: Any) -> bool:
    """Equal as Salesforce would store them: 42 == 42.0, datetimes by instant, '' == None."""
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, int | float) and not isinstance(a, bool) or isinstance(b, int | float) and not isinstance(b, bool):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    ta, tb = as_instant(a), as_instant(b)
    if ta is not None and tb is not None:
        return ta == tb
    return a == b


def plan_write(contact: HubSpotContact, record: CrmRecord | None, computed: Computed, *,
               mapping: FieldMapping, last_written: Mapping[str, Any] | None = None,
               matched_by: str | None = None) -> RecordWrite | None:
    """The write that brings Salesforce in line for one contact, or ``None`` if it already is."""
    object_name = record.object if record else mapping.salesforce.create_as
    current = dict(record.fields) if record else None
    last = last_written or {}
    ext = mapping.salesforce.external_id_field
    desired: dict[str, Any] = {ext: contact.id}
    for rule in mapping.fields:
        target = rule.target(object_name)
        if rule.rule == "dont_sync" or target is None:
            continue
        write, value = _mapped_value(rule, contact, current, last, target,
                                     mapping.salesforce.default_phone_region)
        if write:
            desired[target] = value
    for key, target in mapping.computed.targets().items():
        if key in computed.values:
            desired[target] = computed.values[key]
    if record is None:
        for name, default in mapping.salesforce.lead_defaults.items():
            if _blank(desired.get(name)):
                desired[name] = default
        return RecordWrite(hubspot_id=contact.id, object_name=object_name, mode="upsert",
                           record_id=None, fields=desired, desired=desired)
    changes = {k: v for k, v in desired.items() if not same_value(current.get(k), v)}
    if not changes:
        return None
    mode = "upsert" if same_value(current.get(ext), contact.id) else "update"
    fields = changes if mode == "update" else {**changes, ext: contact.id}
    return RecordWrite(hubspot_id=contact.id, object_name=object_name, mode=mode,
                       record_id=record.id, fields=fields, desired=desired, matched_by=matched_by)
