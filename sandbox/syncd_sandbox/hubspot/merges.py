"""Merging, archiving and GDPR-deleting contacts."""

from __future__ import annotations

from .records import Record

__all__ = ["MergeMixin"]

_KEEP_PRIMARY = {"hs_object_id", "createdate", "lastmodifieddate", "email",
                 "hs_merged_object_ids", "hs_additional_emails", "lifecyclestage"}


class MergeMixin:
    """Merge/archive/delete helpers of ``HubSpotState``."""

    def merge_contacts(self, primary_id: str, secondary_id: str) -> str:
        """Merge ``secondary_id`` into ``primary_id``; returns the surviving id.

        The primary keeps its values and takes the secondary's where it has none; the stage
        is the furthest of the two; the old id keeps resolving to the survivor.
        """
        with self.lock:
            primary, secondary = self.resolve(str(primary_id)), self.resolve(str(secondary_id))
            if primary is None or secondary is None:
                raise ValueError(f"merge: unknown contact {primary_id if primary is None else secondary_id!r}")
            if primary.id == secondary.id:
                raise ValueError(f"merge: {primary_id} and {secondary_id} are the same contact")
            at = self.now()
            for name, value in secondary.properties.items():
                if name not in _KEEP_PRIMARY and value not in (None, "") \
                        and primary.properties.get(name) in (None, ""):
                    primary.set(name, value, at)
            self._merge_stage(primary, secondary, at)
            self._merge_ids(primary, secondary, at)
            self.rules.unindex(secondary)
            self.contacts.remove(secondary.id)
            self.redirects[secondary.id] = primary.id
            self.rules.index(primary)
            self._move_links(secondary.id, primary.id)
            self.contacts.touch(primary, at)
            self.changed()
            return primary.id

    def _merge_stage(self, primary: Record, secondary: Record, at) -> None:
        rank = self.rules.rank
        a, b = primary.properties.get("lifecyclestage"), secondary.properties.get("lifecyclestage")
        if b and rank.get(b, -1) > rank.get(a or "", -1):
            primary.set("lifecyclestage", b, at)

    def _merge_ids(self, primary: Record, secondary: Record, at) -> None:
        merged = [i for i in (primary.properties.get("hs_merged_object_ids") or "").split(";") if i]
        merged += [secondary.id] + [i for i in (secondary.properties.get("hs_merged_object_ids")
                                                or "").split(";") if i]
        primary.set("hs_merged_object_ids", ";".join(merged), at)
        emails = [e for e in (primary.properties.get("hs_additional_emails") or "").split(";") if e]
        emails += [e for e in [secondary.properties.get("email")] if e and e not in emails]
        if emails:
            primary.set("hs_additional_emails", ";".join(emails), at)

    def _move_links(self, old: str, new: str) -> None:
        moved = self.contact_assoc.pop(old, {})
        target = self.contact_assoc.setdefault(new, {})
        for kind, ids in moved.items():
            target.setdefault(kind, []).extend(i for i in ids if i not in target.get(kind, []))
            for eid in ids:
                links = self.assoc[kind][eid]
                self.assoc[kind][eid] = list(dict.fromkeys(new if c == old else c for c in links))
        for event in self.events:
            if event.get("objectId") == old:
                event["objectId"] = new

    def archive_contact(self, contact_id: str) -> None:
        """Archive (soft-delete) a contact: gone from lists and search, restorable in HubSpot."""
        with self.lock:
            record = self.resolve(str(contact_id))
            if record is None:
                raise ValueError(f"archive: unknown contact {contact_id!r}")
            at = self.now()
            record.archived, record.archived_at = True, at
            self.rules.unindex(record)
            self.contacts.touch(record, at)
            self.changed()

    def gdpr_delete(self, contact_id: str) -> None:
        """Permanently delete a contact with its links, events and email events."""
        with self.lock:
            record = self.resolve(str(contact_id))
            if record is None:
                raise ValueError(f"gdpr_delete: unknown contact {contact_id!r}")
            email = (record.properties.get("email") or "").lower()
            self.rules.unindex(record)
            self.contacts.remove(record.id)
            for kind, ids in self.contact_assoc.pop(record.id, {}).items():
                for eid in ids:
                    self.assoc[kind][eid] = [c for c in self.assoc[kind][eid] if c != record.id]
            self.events = [e for e in self.events if e.get("objectId") != record.id]
            if email:
                self.email_events = [e for e in self.email_events
                                     if str(e.get("recipient", "")).lower() != email]
            self.redirects = {k: v for k, v in self.redirects.items() if v != record.id}
            self.gdpr_deleted.append(record.id)
            self.changed()
