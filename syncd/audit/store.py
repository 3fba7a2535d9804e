"""The audit's reads and its one write against the state store."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from syncd.audit.drift import Linked
from syncd.store import tables as t

__all__ = ["linked_records", "requeue"]


def linked_records(engine: Engine) -> list[Linked]:
    """Every id-map link with what syncd last wrote to that record (if it wrote to it)."""
    m, r = t.id_map.c, t.record_state.c
    query = (select(m.hubspot_id, m.sf_object, m.sf_id, r.sf_id.label("written_id"), r.fields)
             .select_from(t.id_map.outerjoin(t.record_state, r.hubspot_id == m.hubspot_id))
             .order_by(m.hubspot_id))
    with engine.connect() as conn:
        return [Linked(hubspot_id=h, sf_object=o, sf_id=i,
                       written=fields if fields and written_id == i else {})
                for h, o, i, written_id, fields in conn.execute(query)]


def requeue(engine: Engine, hubspot_ids: Collection[str]) -> int:
    """Put live contacts back in the pending set; return how many were not pending yet.

    Like every committing transaction it is fenced by the store's writer guard."""
    c = t.contacts.c
    ids = sorted(hubspot_ids)
    changed = 0
    with engine.begin() as conn:
        for start in range(0, len(ids), 5000):
            result = conn.execute(update(t.contacts).where(
                c.hubspot_id.in_(ids[start:start + 5000]), c.pending.is_(False),
                c.archived.is_(False), c.merged_into.is_(None)).values(pending=True))
            changed += result.rowcount or 0
    return changed
