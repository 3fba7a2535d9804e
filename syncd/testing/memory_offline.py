"""The in-memory store's side of offline files and the review queue (same semantics as
``syncd.store.offline``)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from syncd.offline_change import OfflineChange

__all__ = ["MemoryOfflineQueries"]


class MemoryOfflineQueries:
    """Mixed into ``MemoryStateStore`` (which provides the dicts it reads and writes)."""

    def offline_hashes(self) -> frozenset[str]:
        return frozenset(self.offline_file_rows)

    def save_offline(self, change: OfflineChange) -> None:
        now = change.at
        with self._lock:
            if change.file is not None:
                f = change.file
                if f.content_hash in self.offline_file_rows:
                    raise ValueError(f"file {f.name} (content {f.content_hash[:12]}) was imported before")
                self.offline_file_rows[f.content_hash] = {"content_hash": f.content_hash, "name": f.name,
                                                          "source": f.source, "counts": dict(f.counts),
                                                          "imported_at": now}
            for r in change.rows:
                self.offline_row_rows[(r.content_hash, r.line)] = copy.deepcopy(r.row())
            for c in change.contacts:
                self.contacts[c.id] = {"hubspot_id": c.id, "properties": dict(c.properties),
                                       "updated_at": c.updated_at, "archived": False, "merged_into": None,
                                       "pending": True, "pulled_at": now}
            for e in change.events:
                self.events.setdefault(e.id, e)
                if e.contact_id in self.contacts and not self.contacts[e.contact_id]["archived"]:
                    self.contacts[e.contact_id]["pending"] = True
            for h in change.pending:
                if h in self.contacts and not self.contacts[h]["archived"]:
                    self.contacts[h]["pending"] = True
            for k in change.links:
                self.links[k.hubspot_id] = {"hubspot_id": k.hubspot_id, "sf_object": k.sf_object, "sf_id": k.sf_id,
                                            "matched_by": k.matched_by, "updated_at": now}
            for x in change.fills:
                self.id_history.append({"hubspot_id": x.hubspot_id, "event": "offline_fill", "at": now,
                                        "detail": {"field": x.field, "value": x.value, "source": x.source,
                                                   "rule": x.rule}})
            for d in change.decisions:
                self.decided[(d.subject, d.pair)] = {"subject": d.subject, "candidates": d.pair,
                                                     "decision": d.decision, "target": d.target, "decided_at": now}
                self.review.pop(d.subject, None)
            for r in change.reviews:
                if (r.hubspot_id, ",".join(sorted(r.candidates))) not in self.decided:
                    self.review[r.hubspot_id] = {"hubspot_id": r.hubspot_id, "reason": r.reason,
                                                 "candidates": list(r.candidates), "created_at": now}

    def offline_rows(self, *, status: str | None = None) -> list[dict[str, Any]]:
        return [copy.deepcopy(r) for _, r in sorted(self.offline_row_rows.items())
                if status is None or r["status"] == status]

    def offline_files(self) -> list[dict[str, Any]]:
        return sorted((dict(r) for r in self.offline_file_rows.values()), key=lambda r: r["imported_at"])

    def review_item(self, key: str) -> dict[str, Any] | None:
        found = self.review.get(key)
        return dict(found) if found else None

    def review_decisions(self, subjects: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        wanted = set(subjects)
        out: dict[str, list[dict[str, Any]]] = {}
        for (subject, _), row in sorted(self.decided.items()):
            if subject in wanted:
                out.setdefault(subject, []).append(dict(row))
        return out

    def matching_people(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        contacts = [{"hubspot_id": h, "properties": dict(c["properties"])} for h, c in sorted(self.contacts.items())
                    if not c["archived"] and c["merged_into"] is None]
        people = [{"sf_id": i, "sf_object": m["sf_object"], "fields": dict(m["fields"])}
                  for i, m in sorted(self.mirror.items()) if not m.get("deleted")]
        return contacts, people
