"""Plan the Salesforce writes: compare what a record should hold with what it holds.

Only fields whose value would change are sent; a record with nothing to change costs no
call. Mapped fields follow their sync rule; computed fields (stage, score, intent, profile)
always follow syncd.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers

from syncd.effects import RecordWrite
from syncd.mapping import FieldMapping, FieldRule
from syncd.models import CrmRecord, HubSpotContact
from syncd.timefmt import as_instant

__all__ = ["MISSING", "Computed", "plan_write", "same_value", "transform", "two_way_winner"]


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


MISSING = object()
"""No value agreed yet between the two sides (syncd never wrote this field)."""


def two_way_winner(hs_value: Any, sf_value: Any, agreed: Any, *, hs_time: datetime | None,
                   sf_time: datetime | None) -> str | None:
    """Which side's value a ``two_way`` field takes: ``"hubspot"``, ``"salesforce"`` or None.

    ``agreed`` is the value both sides held after syncd last wrote the field (``MISSING``
    if never). The side that changed since wins; when both did, the later edit wins (by
    each record's modification time; a tie goes to HubSpot). Without history, a value fills
    the other side's blank and two different values are left alone.
    """
    if same_value(hs_value, sf_value):
        return None
    if agreed is MISSING:
        return "hubspot" if _blank(sf_value) else "salesforce" if _blank(hs_value) else None
    hs_changed, sf_changed = not same_value(hs_value, agreed), not same_value(sf_value, agreed)
    if hs_changed != sf_changed:
        return "hubspot" if hs_changed else "salesforce"
    if hs_time is not None and sf_time is not None and sf_time > hs_time:
        return "salesforce"
    return "hubspot"


def _mapped_value(rule: FieldRule, contact: HubSpotContact, record: CrmRecord | None,
                  agreed: Mapping[str, Any], target: str, region: str) -> tuple[bool, Any, str]:
    """(write?, value, why) for one mapped field under its sync rule."""
    value = transform(rule.transform, contact.properties.get(rule.hubspot), region=region)
    if value is None and not rule.blank_overwrites:
        return False, None, ""
    current = None if record is None else record.fields
    sf_value = None if current is None else current.get(target)
    if rule.rule == "always_hubspot":
        return True, value, "always_hubspot"
    if rule.rule == "prefer_salesforce_unless_blank":
        return _blank(sf_value), value, "prefer_salesforce_unless_blank: Salesforce is blank"
    if rule.rule == "two_way":
        if current is None or same_value(value, sf_value):  # a new record, or in agreement: remembered
            return True, value, "two_way"
        winner = two_way_winner(value, sf_value, agreed.get(target, MISSING), hs_time=contact.updated_at,
                                sf_time=as_instant(current.get("LastModifiedDate")))
        return winner == "hubspot", value, "two_way: HubSpot changed last"
    return False, None, ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def same_value(a: Any, b: Any) -> bool:
    """Equal as Salesforce would store them: 42 == 42.0, datetimes by instant, '' == None."""
    if a == b:  # equal values are the same value under every rule below
        return True
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
               matched_by: str | None = None, agreed: Mapping[str, Any] | None = None,
               owner: Any = None) -> RecordWrite | None:
    """The write that brings Salesforce in line for one contact, or ``None`` if it already is.
    ``owner`` is the routing assignment of a person crossing the trigger, if any."""
    object_name = record.object if record else mapping.salesforce.create_as
    current = dict(record.fields) if record else None
    ext = mapping.salesforce.external_id_field
    desired: dict[str, Any] = {ext: contact.id}
    why: dict[str, str] = {ext: "external id: the HubSpot contact id"}
    for rule in mapping.fields:
        target = rule.target(object_name)
        if rule.rule == "dont_sync" or target is None:
            continue
        write, value, reason = _mapped_value(rule, contact, record, agreed if agreed is not None else
                                             (last_written or {}), target, mapping.salesforce.default_phone_region)
        if write:
            desired[target], why[target] = value, f"{rule.hubspot} → {target} ({reason})"
    for key, target in mapping.computed.targets().items():
        if key in computed.values:
            desired[target], why[target] = computed.values[key], f"computed: {key}"
    if owner is not None:  # routing.toml chose an owner as the person crossed the trigger
        desired["OwnerId"], why["OwnerId"] = owner.owner_id, f"routing {owner.rule}: {owner.reason}"
    if record is None:
        for name, default in mapping.salesforce.lead_defaults.items():
            if _blank(desired.get(name)):
                desired[name], why[name] = default, "lead default (HubSpot has no value)"
        return RecordWrite(hubspot_id=contact.id, object_name=object_name, mode="upsert",
                           record_id=None, fields=desired, desired=desired, why=why)
    changes = {k: v for k, v in desired.items() if not same_value(current.get(k), v)}
    if not changes:
        return None
    mode = "upsert" if same_value(current.get(ext), contact.id) else "update"
    fields = changes if mode == "update" else {**changes, ext: contact.id}
    return RecordWrite(hubspot_id=contact.id, object_name=object_name, mode=mode, record_id=record.id,
                       fields=fields, desired=desired, matched_by=matched_by,
                       old={k: current.get(k) for k in fields}, why={k: why.get(k, "") for k in fields})
