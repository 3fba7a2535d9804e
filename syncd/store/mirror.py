"""The state store's side of the Salesforce mirror: rows kept current by the change feed,
and the candidates matching reads instead of querying Salesforce."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from syncd.models import CrmRecord
from syncd.store import tables as t
from syncd.store.upsert import upsert

__all__ = ["MirrorQueries", "MirrorRow"]

MirrorRow = Mapping[str, Any]
"""``sf_id, sf_object, fields, email_key, external_id, converted_contact_id, modstamp, deleted``."""

_IN = 5000


class MirrorQueries:
    """Mixed into ``SqlStateStore`` (which provides ``engine``)."""

    def mirror_rows(self, sf_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The mirrored fields of these records, deleted ones included."""
        p = t.sf_people.c
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(sf_ids), _IN):
                for sf_id, fields in conn.execute(select(p.sf_id, p.fields)
                                                  .where(p.sf_id.in_(list(sf_ids[start:start + _IN])))):
                    out[sf_id] = fields
        return out

    def save_mirror(self, rows: Sequence[MirrorRow], *, cursors: Mapping[str, Mapping[str, Any]],
                    pending: Collection[str], now: datetime) -> None:
        """Keep changed rows and the feed's cursors, and make pending the people whose record
        changed in a way that matters, in one transaction."""
        with self.engine.begin() as conn:
            for start in range(0, len(rows), _IN):
                upsert(conn, t.sf_people, [{**r, "fields": dict(r["fields"]), "updated_at": now}
                                           for r in rows[start:start + _IN]], ["sf_id"])
            self._save_cursors(conn, cursors, now)
            ids = sorted(pending)
            for start in range(0, len(ids), _IN):
                conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id.in_(ids[start:start + _IN]),
                                                      t.contacts.c.archived.is_(False))
                             .values(pending=True))

    def _patch_mirror(self, conn: Any, patches: Sequence[Any], now: datetime) -> None:
        """Merge what syncd wrote into the mirrored rows (new rows for records it created)."""
        p = t.sf_people.c
        ids = [x.sf_id for x in patches]
        old = {r["sf_id"]: dict(r) for r in conn.execute(select(t.sf_people).where(p.sf_id.in_(ids))).mappings()}
        rows = {}
        for x in patches:
            row = old.get(x.sf_id) or {"sf_id": x.sf_id, "sf_object": x.sf_object, "fields": {"Id": x.sf_id},
                                       "email_key": None, "external_id": None, "converted_contact_id": None,
                                       "modstamp": None}
            row = {**row, "fields": {**row["fields"], **x.fields}, "deleted": False, "updated_at": now}
            if "Email" in x.fields:
                row["email_key"] = x.email_key
            if x.external_id:
                row["external_id"] = x.external_id
            rows[x.sf_id] = row
        upsert(conn, t.sf_people, list(rows.values()), ["sf_id"])

    def mirror_candidates(self, *, emails: Collection[str], hubspot_ids: Collection[str],
                          sf_ids: Collection[str]) -> list[CrmRecord]:
        """Live mirrored records a person may be: by canonical email (converted Leads left
        out), by the HubSpot id in the external id field, or by id; plus the Contacts that
        converted Leads among them became."""
        p = t.sf_people.c
        found: dict[str, CrmRecord] = {}
        with self.engine.connect() as conn:
            for column, values in ((p.email_key, emails), (p.external_id, hubspot_ids), (p.sf_id, sf_ids)):
                values = sorted(values)
                for start in range(0, len(values), _IN):
                    query = select(p.sf_id, p.sf_object, p.fields, p.converted_contact_id).where(
                        column.in_(values[start:start + _IN]), p.deleted.is_(False))
                    if column is p.email_key:
                        query = query.where(or_(p.sf_object != "Lead", p.converted_contact_id.is_(None)))
                    for sf_id, obj, fields, _ in conn.execute(query):
                        found[sf_id] = CrmRecord(object=obj, id=sf_id, fields=fields)
            converted = sorted({r.fields.get("ConvertedContactId") for r in found.values()
                                if r.fields.get("ConvertedContactId")} - set(found))
            for start in range(0, len(converted), _IN):
                for sf_id, obj, fields in conn.execute(select(p.sf_id, p.sf_object, p.fields).where(
                        p.sf_id.in_(converted[start:start + _IN]), p.deleted.is_(False))):
                    found[sf_id] = CrmRecord(object=obj, id=sf_id, fields=fields)
        return list(found.values())

    def hubspot_ids_for(self, sf_ids: Sequence[str]) -> dict[str, str]:
        """Salesforce record id → the HubSpot contact linked to it (the id map)."""
        m = t.id_map.c
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(sf_ids), _IN):
                for hid, sf_id in conn.execute(select(m.hubspot_id, m.sf_id)
                                               .where(m.sf_id.in_(list(sf_ids[start:start + _IN])))):
                    out[sf_id] = hid
        return out

    def mirror_size(self) -> int:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(t.sf_people)
                               .where(t.sf_people.c.deleted.is_(False))) or 0
