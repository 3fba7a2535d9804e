"""One raw record's cells to normalised field values, with what could not be used.

A record is rejected only when it names nobody (no name and no usable email); a bad phone
number, country or date beside a usable name is left out and said so, so one mistyped
cell never costs a lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from syncd.normalize import (Invalid, clean_company, clean_name, clean_text, normalize_country,
                             normalize_email, normalize_phone, split_full_name)
from syncd.offline.mapping import YES, SourceMapping

__all__ = ["Row", "row_values"]

_TEXT = ("title", "department", "street", "city", "state", "notes", "lead_source", "campaign",
         "external_id", "salutation")


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """``fields``: normalised values; ``dropped``: (column, reason) for cells left out;
    ``rejected``: (column, reason) when the record cannot be used at all."""

    fields: dict
    dropped: tuple[tuple[str, str], ...] = ()
    rejected: tuple[str | None, str] | None = None


def row_values(cells: dict[str, str], mapping: SourceMapping) -> Row:
    """``cells`` maps column → raw text for one record."""
    by_field = {field: col for col, field in mapping.columns.items()}
    raw = {field: cells.get(col, "") for field, col in by_field.items()}
    fields: dict = {}
    dropped: list[tuple[str, str]] = []
    _names(raw, fields)
    country = _optional(lambda: normalize_country(raw["country"]), raw, "country", by_field, dropped)
    if country:
        fields["country"] = country
    region = country or mapping.source.default_country
    email_error = None
    if raw.get("email", "").strip():
        try:
            fields["email"] = normalize_email(raw["email"]).address
        except Invalid as exc:
            email_error = (by_field["email"], str(exc))
    for key in ("phone", "mobile"):
        value = _optional(lambda k=key: normalize_phone(raw[k], region), raw, key, by_field, dropped)
        if value:
            fields[key] = value
    _plain(raw, fields, mapping)
    when = _optional(lambda: _date(raw["event_date"], region), raw, "event_date", by_field, dropped)
    fields["event_date"] = when or (mapping.source.event_date.isoformat() if mapping.source.event_date else None)
    _flags(cells, raw, fields, mapping)
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    if not (fields.get("first_name") or fields.get("last_name") or fields.get("email")):
        return Row(fields=fields, rejected=email_error or (None, "no name and no email"))
    if email_error:
        dropped.insert(0, email_error)
    return Row(fields=fields, dropped=tuple(dropped))


def _names(raw: dict, fields: dict) -> None:
    first, last = clean_name(raw.get("first_name")), clean_name(raw.get("last_name"))
    if not (first or last) and raw.get("full_name"):
        first, last = split_full_name(raw["full_name"])
    fields.update(first_name=first, last_name=last)


def _optional(make, raw: dict, key: str, by_field: dict, dropped: list):
    if not raw.get(key, "").strip():
        return None
    try:
        return make()
    except Invalid as exc:
        dropped.append((by_field[key], str(exc)))
        return None


def _plain(raw: dict, fields: dict, mapping: SourceMapping) -> None:
    for key in _TEXT:
        fields[key] = clean_text(raw.get(key))
    fields["company"] = clean_company(raw.get("company"))
    fields["postcode"] = clean_text(raw.get("postcode")).upper()
    fields["website"] = clean_text(raw.get("website")).lower()
    fields["lead_source"] = fields["lead_source"] or mapping.source.lead_source
    fields["campaign"] = fields["campaign"] or mapping.source.campaign


def _flags(cells: dict, raw: dict, fields: dict, mapping: SourceMapping) -> None:
    yes = {y.lower() for y in (mapping.consent.yes if mapping.consent else YES)}
    consent = cells.get(mapping.consent.column, "") if mapping.consent else raw.get("consent", "")
    if consent.strip():
        fields["consent"] = consent.strip().lower() in yes
    if raw.get("attended", "").strip():
        fields["attended"] = raw["attended"].strip().lower() in {y.lower() for y in YES}
    rule = mapping.hand_raise
    if rule is not None:
        text = cells.get(rule.column, "").strip().lower()
        fields["hand_raise"] = bool(text) and (text in {v.lower() for v in rule.values} or any(
            w.lower() in text for w in rule.contains))
    elif raw.get("hand_raise", "").strip():
        fields["hand_raise"] = raw["hand_raise"].strip().lower() in {y.lower() for y in YES}


_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
            "%Y-%m-%d", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y/%m/%d")
_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y")
_MONTH_FIRST = ("%m/%d/%Y %H:%M", "%m/%d/%Y", "%m-%d-%Y")


def _date(text: str, region: str | None) -> str:
    """ISO date or local date-time; slashes read month-first only for the US and Canada."""
    value = re.sub(r"\s+", " ", text.strip())
    slashed = _MONTH_FIRST + _DAY_FIRST if region in ("US", "CA") else _DAY_FIRST + _MONTH_FIRST
    for fmt in _FORMATS + slashed:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.date().isoformat() if "%H" not in fmt else parsed.isoformat(sep=" ")
    raise Invalid(f"not a date this importer reads: {text.strip()!r} (use YYYY-MM-DD)")
