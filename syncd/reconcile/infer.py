"""Rules for two files nobody described: each shared column's comparison kind from its
name (the offline header vocabulary, six languages) or else from its values, printed as a
``matching.toml`` that can be saved and edited."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from syncd.normalize.text import fold
from syncd.offline.headers import recognise
from syncd.reconcile.rules import MatchingRules

__all__ = ["infer_rules", "rules_toml"]

_FIELD_KIND = {"first_name": "first_name", "last_name": "last_name", "full_name": "full_name",
               "email": "email", "phone": "phone", "mobile": "phone", "company": "company",
               "website": "website", "street": "address", "city": "city", "postcode": "postcode",
               "state": "exact", "country": "exact", "event_date": "date", "title": "text",
               "department": "text", "external_id": "identifier", "salutation": None, "notes": None,
               "lead_source": None, "campaign": None, "consent": None, "hand_raise": None, "attended": None}
_NAME_HINTS = (("dob", "date"), ("birth", "date"), ("geburt", "date"), ("naissance", "date"),
               ("suburb", "city"), ("locality", "city"), ("address", "address"), ("ssn", "identifier"),
               ("socsec", "identifier"), ("year", "exact"), ("gender", "exact"), ("sex", "exact"))
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,20}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}.*|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{8}")


def infer_rules(columns: Sequence[str], sample: Sequence[Mapping], *, skip: Sequence[str] = ()) -> MatchingRules:
    """Rules for ``columns`` (shared by both files), judged on ``sample`` records."""
    cols = [c for c in columns if c not in skip]
    by_header, _ = recognise(tuple(cols))
    fields: dict[str, str] = {}
    for col in cols:
        kind = _kind_from_name(col, by_header.get(col))
        if kind is None and col not in by_header:
            kind = _kind_from_values([str(r.get(col) or "").strip() for r in sample])
        if kind is not None:
            fields[col] = kind
    if len(fields) < 2:
        raise ValueError(f"the files share too few columns to match on ({', '.join(cols) or 'none'}); "
                         "give both the same column names, or pass --rules")
    return MatchingRules.model_validate({"fields": _one_of_each(fields)})


def _kind_from_name(col: str, field: str | None) -> str | None:
    if field is not None:
        return _FIELD_KIND.get(field)
    key = fold(re.sub(r"\d+$", "", col.strip()))
    for hint, kind in _NAME_HINTS:
        if hint in key:
            return kind
    return None


def _kind_from_values(values: list[str]) -> str | None:
    filled = [v for v in values if v][:500]
    if len(filled) < 2 or len(set(filled)) == 1:
        return None
    share = lambda pattern: sum(bool(pattern.fullmatch(v)) for v in filled) / len(filled)  # noqa: E731
    if share(_EMAIL) > 0.8:
        return "email"
    if share(_DATE) > 0.8:
        return "date"
    if share(_PHONE) > 0.8 and sum(c.isdigit() for v in filled for c in v) / len(filled) >= 7:
        return "phone"
    if all(len(v) <= 12 and any(c.isdigit() for c in v) for v in filled):
        return "identifier"
    return "text"


def _one_of_each(fields: dict[str, str]) -> dict[str, str]:
    """Kinds the engine takes once (a name, a company): later columns become free text."""
    seen: set[str] = set()
    out = {}
    for col, kind in fields.items():
        if kind in ("first_name", "last_name", "full_name", "company") and kind in seen:
            kind = "text"
        if kind == "full_name" and ({"first_name", "last_name"} & set(fields.values())):
            kind = "text"
        seen.add(kind)
        out[col] = kind
    return out


def rules_toml(rules: MatchingRules) -> str:
    """``rules`` as a ``matching.toml`` (to save with ``--rules``)."""
    import json

    m = rules.matching.model_dump(exclude_none=True)
    lines = ["[matching]"] + [f"{k} = {json.dumps(v)}" for k, v in m.items()]
    lines += ["", "[fields]"] + [f"{json.dumps(c, ensure_ascii=False)} = {json.dumps(k)}"
                                  for c, k in rules.fields.items()]
    return "\n".join(lines) + "\n"
