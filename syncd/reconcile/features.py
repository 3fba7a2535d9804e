"""Records to the feature columns matching compares: the CRM layer in front of Splink.

Each declared column becomes a few derived columns: a canonical email and its local part
(role mailboxes kept apart, as evidence rather than key), an E.164 phone, folded name keys
with nickname groups, a company key without its legal form plus acronym, and the
organisation name taken from a company email domain or website (free-mail excluded).
Features are plain values in columns (lists), so any SQL backend can compare them.
"""

from __future__ import annotations

import re

import pyarrow as pa
from collections.abc import Iterable, Mapping

from syncd.normalize import (Invalid, company_acronym, company_key, domain_label, first_name_groups,
                             name_key, normalize_country, normalize_email, phone_key, split_full_name)
from syncd.normalize.text import clean_text, fold
from syncd.reconcile.rules import MatchingRules

__all__ = ["Schema", "slug"]

_GENERIC = {"address", "city", "postcode", "date", "identifier", "text", "exact", "crosswalk"}


def slug(column: str) -> str:
    """A column name as a safe SQL identifier part."""
    s = re.sub(r"[^a-z0-9]+", "_", fold_keep(column)).strip("_")
    return s or "col"


def fold_keep(text: str) -> str:
    from unidecode import unidecode

    return unidecode(text).lower()


class Schema:
    """Which feature columns exist for a set of rules, and how to fill them (the column
    lists are worked out once: ``row`` runs once per record, a million times a run)."""

    def __init__(self, rules: MatchingRules) -> None:
        self.rules = rules
        self.emails = [(c, f"e_{slug(c)}") for c in rules.columns_of("email")]
        self.phones = [(c, f"p_{slug(c)}") for c in rules.columns_of("phone")]
        self.generic = [(c, k, f"g_{slug(c)}") for c, k in rules.fields.items() if k in _GENERIC]
        self.has_name = bool(rules.columns_of("first_name", "last_name", "full_name"))
        self.has_org = bool(rules.columns_of("company", "website")) or bool(self.emails)
        self._full = rules.columns_of("full_name")
        self._first = rules.columns_of("first_name")
        self._last = rules.columns_of("last_name")
        self._company = rules.columns_of("company")
        self._website = rules.columns_of("website")

    def columns(self) -> list[tuple[str, str]]:
        """(feature column, SQL type) in table order; ``uid`` first."""
        cols = [("uid", "VARCHAR")]
        for _, p in self.emails:
            cols += [(f"{p}_addr", "VARCHAR"), (f"{p}_role", "VARCHAR"), (f"{p}_local", "VARCHAR"),
                     (f"{p}_raw", "VARCHAR"), (f"{p}_free", "BOOLEAN")]
        for _, p in self.phones:
            cols += [(f"{p}_e164", "VARCHAR"), (f"{p}_shared", "BOOLEAN")]
        if self.has_name:
            cols += [("n_first", "VARCHAR"), ("n_last", "VARCHAR"), ("n_canon", "VARCHAR"),
                     ("n_groups", "VARCHAR[]"), ("n_initial", "VARCHAR")]
        if self.has_org:
            cols += [("o_key", "VARCHAR"), ("o_squash", "VARCHAR"), ("o_acronym", "VARCHAR"),
                     ("o_label", "VARCHAR")]
        cols += [(f"{p}_key", "VARCHAR") for _, _, p in self.generic]
        return cols

    def arrow_schema(self) -> pa.Schema:
        types = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "VARCHAR[]": pa.list_(pa.string())}
        return pa.schema([(n, types[t]) for n, t in self.columns()])

    def rows(self, records: Iterable[Mapping], ids: Iterable[str]) -> pa.Table:
        """The features of ``records`` as an Arrow table (``ids`` gives each its ``uid``)."""
        out = []
        for uid, rec in zip(ids, records):
            feats = self.row(rec)
            feats["uid"] = str(uid)
            out.append(feats)
        schema = self.arrow_schema()
        # column by column: several times faster than Table.from_pylist on list columns
        return pa.table([pa.array([r.get(f.name) for r in out], type=f.type) for f in schema], schema=schema)

    def row(self, rec: Mapping) -> dict:
        """The features of one record (missing ones are absent, i.e. NULL)."""
        out: dict = {}
        labels: list[str] = []
        for col, p in self.emails:
            labels += _email(rec.get(col), p, out)
        region = self._region(rec)
        for col, p in self.phones:
            out[f"{p}_e164"] = phone_key(_text(rec.get(col)), region)
        if self.has_name:
            _name(rec, self, out)
        if self.has_org:
            _org(rec, self, labels, out)
        for col, kind, p in self.generic:
            out[f"{p}_key"] = _generic(kind, rec.get(col))
        return out

    def _region(self, rec: Mapping) -> str | None:
        col = self.rules.matching.region_column
        if col and (value := _text(rec.get(col))):
            try:
                return normalize_country(value)
            except Invalid:
                pass
        return self.rules.matching.default_region


def _text(value) -> str:
    return "" if value is None else str(value)


def _email(value, p: str, out: dict) -> list[str]:
    raw = _text(value).strip().lower()
    if not raw:
        return []
    out[f"{p}_raw"] = raw
    try:
        email = normalize_email(raw)
    except Invalid:
        return []
    out[f"{p}_raw"] = email.address  # typos are judged on the canonical form (no +tag, no case)
    out[f"{p}_free"] = email.free_mail
    if email.role:
        out[f"{p}_role"] = email.address
    else:
        out[f"{p}_addr"], out[f"{p}_local"] = email.address, email.local
    return [] if email.free_mail else [domain_label(email.domain)]


def _name(rec: Mapping, schema: Schema, out: dict) -> None:
    if schema._full:
        first, last = split_full_name(_text(rec.get(schema._full[0])))
    else:
        first = _text(rec.get(schema._first[0])) if schema._first else ""
        last = _text(rec.get(schema._last[0])) if schema._last else ""
    fk, lk = name_key(first), name_key(last)
    groups = first_name_groups(fk)
    out.update(n_first=fk or None, n_last=lk or None, n_canon=groups[0] if groups else None,
               n_groups=list(groups) or None, n_initial=fk[:1] or None)


def _org(rec: Mapping, schema: Schema, labels: list[str], out: dict) -> None:
    key = company_key(_text(rec.get(schema._company[0]))) if schema._company else ""
    for col in schema._website:
        labels.insert(0, domain_label(_text(rec.get(col))))
    label = next((x for x in labels if x), "")
    out.update(o_key=key or None, o_squash=key.replace(" ", "") or None,
               o_acronym=company_acronym(key) or None, o_label=label or None)


def _generic(kind: str, value) -> str | None:
    text = clean_text(_text(value))
    if not text:
        return None
    if kind in ("postcode", "identifier"):
        return re.sub(r"[^0-9A-Za-z]", "", text).upper() or None
    if kind == "crosswalk":
        return text
    if kind == "date":
        return text[:10]
    if kind == "address":
        return " ".join(fold(w) for w in text.split() if fold(w)) or None
    return fold(text) if kind in ("city", "exact") else text.lower()
