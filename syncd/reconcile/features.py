"""Records to the feature columns matching compares: the CRM layer in front of Splink.

Each declared column becomes a few derived columns: a canonical email and its local part
(role mailboxes kept apart, as evidence rather than key), an E.164 phone, folded name keys
with nickname groups, a company key without its legal form plus acronym, and the
organisation name taken from a company email domain or website (free-mail excluded).
Features are plain values in columns (lists), so any SQL backend can compare them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

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
        self._names = [n for n, _ in self.columns()]
        self._email_keys = [(c, tuple(f"{p}_{k}" for k in ("raw", "free", "role", "addr", "local")))
                            for c, p in self.emails]
        self._phone_keys = [(c, f"{p}_e164") for c, p in self.phones]

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
        schema = self.arrow_schema()
        pick = itemgetter(*schema.names)
        out = []
        for uid, rec in zip(ids, records):
            feats = self.row(rec)
            feats["uid"] = str(uid)
            out.append(pick(feats))
        # transposed by zip (in C), then one Arrow array per column: far faster than
        # Table.from_pylist on a list column
        columns = list(zip(*out)) if out else [() for _ in schema]
        return pa.table([pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)

    def row(self, rec: Mapping) -> dict:
        """The features of one record (``None`` for missing ones, i.e. NULL)."""
        out: dict = dict.fromkeys(self._names)
        labels: list[str] = []
        for col, keys in self._email_keys:
            labels += _email(rec.get(col), keys, out)
        region = self._region(rec)
        for col, key in self._phone_keys:
            out[key] = phone_key(_text(rec.get(col)), region)
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


def _email(value, p: tuple[str, str, str, str, str], out: dict) -> list[str]:
    """``p``: the feature names (raw, free, role, addr, local)."""
    raw = _text(value).strip().lower()
    if not raw:
        return []
    k_raw, k_free, k_role, k_addr, k_local = p
    out[k_raw] = raw
    try:
        email = normalize_email(raw)
    except Invalid:
        return []
    out[k_raw] = email.address  # typos are judged on the canonical form (no +tag, no case)
    out[k_free] = email.free_mail
    if email.role:
        out[k_role] = email.address
    else:
        out[k_addr], out[k_local] = email.address, email.local
    return [] if email.free_mail else [domain_label(email.domain)]


def _name(rec: Mapping, schema: Schema, out: dict) -> None:
    if schema._full:
        first, last = split_full_name(_text(rec.get(schema._full[0])))
    else:
        first = _text(rec.get(schema._first[0])) if schema._first else ""
        last = _text(rec.get(schema._last[0])) if schema._last else ""
    out["n_first"], out["n_canon"], out["n_groups"], out["n_initial"] = _first_parts(first)
    out["n_last"] = name_key(last) or None


@lru_cache(maxsize=65536)
def _first_parts(first: str) -> tuple:
    """(key, canonical, groups, initial) of a first name; names repeat, so kept."""
    fk = name_key(first)
    groups = first_name_groups(fk)
    return fk or None, groups[0] if groups else None, list(groups) or None, fk[:1] or None


def _org(rec: Mapping, schema: Schema, labels: list[str], out: dict) -> None:
    if schema._company:
        out["o_key"], out["o_squash"], out["o_acronym"] = _company_parts(_text(rec.get(schema._company[0])))
    for col in schema._website:
        labels.insert(0, domain_label(_text(rec.get(col))))
    out["o_label"] = next((x for x in labels if x), None)


@lru_cache(maxsize=131072)
def _company_parts(company: str) -> tuple:
    """(key, key without spaces, acronym) of a company name; companies repeat, so kept."""
    key = company_key(company)
    return key or None, key.replace(" ", "") or None, company_acronym(key) or None


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
