"""The state store's side of offline files and the review queue: imported files by content
hash, their rows and outcomes, review items and the decisions taken on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update

from syncd.models import email_key
from syncd.offline_change import OfflineChange
from syncd.store import tables as t
from syncd.store.upsert import insert_ignore, upsert

__all__ = ["OfflineQueries"]


class OfflineQueries:
    """Mixed into ``SqlStateStore`` (which provides ``engine``)."""

    def offline_hashes(self) -> frozenset[str]:
        """Content hashes of the files imported before."""
        with self.engine.connect() as conn:
            return frozenset(conn.scalars(select(t.offline_files.c.content_hash)))

    def save_offline(self, change: OfflineChange) -> None:
        """Keep an import's (or a review decision's) changes in one transaction."""
        now = change.at
        decided = {(d.subject, d.pair) for d in change.decisions}
        with self.engine.begin() as conn:
            if change.file is not None:
                f = change.file
                conn.execute(t.offline_files.insert().values(
                    content_hash=f.content_hash, name=f.name, source=f.source, counts=dict(f.counts),
                    imported_at=now))
            upsert(conn, t.offline_rows, [r.row() for r in change.rows], ["content_hash", "line"])
            upsert(conn, t.contacts, [{"hubspot_id": c.id, "properties": dict(c.properties),
                                       "updated_at": c.updated_at, "archived": False, "merged_into": None,
                                       "pending": True, "pulled_at": now,
                                       "email_key": email_key(c.properties.get("email"))}
                                      for c in change.contacts],
                   ["hubspot_id"])
            insert_ignore(conn, t.engagement, [{"id": e.id, "contact_id": e.contact_id, "kind": e.kind.value,
                                                "occurred_at": e.occurred_at, "attributes": dict(e.attributes)}
                                               for e in change.events], "id")
            touched = sorted({e.contact_id for e in change.events} | set(change.pending))
            if touched:
                conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id.in_(touched),
                                                      t.contacts.c.archived.is_(False)).values(pending=True))
            upsert(conn, t.id_map, [{"hubspot_id": k.hubspot_id, "sf_object": k.sf_object, "sf_id": k.sf_id,
                                     "matched_by": k.matched_by, "updated_at": now} for k in change.links],
                   ["hubspot_id"])
            if change.fills:
                conn.execute(t.id_map_history.insert(), [
                    {"hubspot_id": x.hubspot_id, "event": "offline_fill", "at": now,
                     "detail": {"field": x.field, "value": x.value, "source": x.source, "rule": x.rule}}
                    for x in change.fills])
            for d in change.decisions:
                upsert(conn, t.review_decisions, [{"subject": d.subject, "candidates": d.pair,
                                                   "decision": d.decision, "target": d.target,
                                                   "decided_at": now}], ["subject", "candidates"])
                conn.execute(delete(t.review_queue).where(t.review_queue.c.hubspot_id == d.subject))
            reviews = [r for r in change.reviews if not self._decided(conn, r.hubspot_id, r.candidates)
                       and (r.hubspot_id, ",".join(sorted(r.candidates))) not in decided]
            upsert(conn, t.review_queue, [{"hubspot_id": r.hubspot_id, "reason": r.reason,
                                           "candidates": list(r.candidates), "created_at": now}
                                          for r in reviews], ["hubspot_id"])

    @staticmethod
    def _decided(conn: Any, subject: str, candidates: Sequence[str]) -> bool:
        d = t.review_decisions.c
        return conn.scalar(select(func.count()).where(
            d.subject == subject, d.candidates == ",".join(sorted(candidates)))) > 0

    def offline_rows(self, *, status: str | None = None) -> list[dict[str, Any]]:
        """Rows of imported files (all, or those with ``status``), by file and line."""
        r = t.offline_rows.c
        query = select(t.offline_rows).order_by(r.content_hash, r.line)
        if status is not None:
            query = query.where(r.status == status)
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def offline_files(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(
                select(t.offline_files).order_by(t.offline_files.c.imported_at)).mappings()]

    def review_item(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.review_queue).where(t.review_queue.c.hubspot_id == key)).mappings().first()
            return dict(row) if row else None

    def review_decisions(self, subjects: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Decisions taken per subject (a HubSpot id or an offline row's review key)."""
        d = t.review_decisions.c
        out: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(subjects), 5000):
                for row in conn.execute(select(t.review_decisions).where(
                        d.subject.in_(list(subjects[start:start + 5000])))).mappings():
                    out.setdefault(row["subject"], []).append(dict(row))
        return out

    def matching_people(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(live HubSpot contacts ``hubspot_id, properties``, live mirrored Salesforce people
        ``sf_id, sf_object, fields``): the existing side an offline file is matched against."""
        c, p = t.contacts.c, t.sf_people.c
        with self.engine.connect() as conn:
            contacts = [dict(r) for r in conn.execute(
                select(c.hubspot_id, c.properties).where(c.archived.is_(False), c.merged_into.is_(None))
                .order_by(c.hubspot_id)).mappings()]
            people = [dict(r) for r in conn.execute(
                select(p.sf_id, p.sf_object, p.fields).where(p.deleted.is_(False)).order_by(p.sf_id)).mappings()]
        return contacts, people
