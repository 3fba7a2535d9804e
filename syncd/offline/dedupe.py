"""Deterministic duplicates inside one file: the same personal email, or the same name at
the same company or phone. The reconciliation engine adds the probabilistic ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncd.normalize import company_key, name_key
from syncd.normalize.data import role_locals

__all__ = ["exact_duplicates"]


def exact_duplicates(records: Sequence[Mapping]) -> list[int | None]:
    """For each record, the index of the first earlier record with a shared key, else None."""
    first: dict[tuple, int] = {}
    out: list[int | None] = []
    for i, rec in enumerate(records):
        keys = _keys(rec)
        found = min((first[k] for k in keys if k in first), default=None)
        out.append(found)
        for k in keys:
            first.setdefault(k, i if found is None else found)
    return out


def _keys(rec: Mapping) -> list[tuple]:
    keys: list[tuple] = []
    email = rec.get("email") or ""
    if email and email.split("@")[0] not in role_locals():
        keys.append(("email", email))
    name = (name_key(rec.get("first_name")), name_key(rec.get("last_name")))
    if all(name):
        for other in ("company", "phone", "mobile"):
            value = company_key(rec.get("company")) if other == "company" else rec.get(other)
            if value:
                keys.append((other, *name, value))
    return keys
