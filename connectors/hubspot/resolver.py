"""Email → contact id, for feeds that name a recipient instead of a contact.

Contacts read in this run fill the map for free; addresses it lacks are looked up first
among the contacts already stored (``stored``: the state store's contacts by primary
e-mail, a query), then at HubSpot in batches of 100 (``idProperty=email`` also matches
additional emails of merged contacts).
The map is a cache of the addresses learnt or looked up last: past ``max_entries`` the
oldest are let go (a later event naming one costs a lookup, never a wrong answer). The
bound holds every contact of a 100,000-contact first cycle with its additional emails
(about 40 MiB at the bound): below it, e-mail events never cost a lookup of a contact
pulled in the same run; above it memory stays flat and the stored contacts answer
instead (a backfill of 1,000,000 contacts had made 31,852 batch reads without them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from syncd.models import email_key

__all__ = ["EmailResolver", "Resolved"]

MAX_ENTRIES = 250_000


class _Reader(Protocol):
    def read_contacts(self, ids: list[str], properties: list[str], *,
                      id_property: str | None = None) -> dict: ...


class EmailResolver:
    """A bounded email → contact id map that can ask HubSpot about the addresses it lacks."""

    def __init__(self, api: _Reader, batch_size: int = 100, max_entries: int = MAX_ENTRIES, *,
                 stored: Callable[[Sequence[str]], Mapping[str, str]] | None = None) -> None:
        self._api, self._batch, self._max = api, batch_size, max(max_entries, batch_size)
        self._stored = stored  # contacts already kept elsewhere (the state store), by primary e-mail
        self._ids: dict[str, str | None] = {}  # oldest first
        self._lock = threading.Lock()  # the pull's lanes may share it

    def __len__(self) -> int:
        return len(self._ids)

    def learn(self, contact_id: str, properties: Mapping[str, Any]) -> None:
        """Remember a contact's primary and additional emails."""
        with self._lock:
            self._learn(contact_id, properties)
            self._trim()

    def _learn(self, contact_id: str, properties: Mapping[str, Any]) -> list[str]:
        learnt = []
        for email in [properties.get("email"), *str(properties.get("hs_additional_emails") or "").split(";")]:
            if email := email_key(email):
                self._ids.pop(email, None)  # (re)learnt: now the newest
                self._ids[email] = contact_id
                learnt.append(email)
        return learnt

    def _trim(self, keep: int = 0) -> None:
        """Past ``max_entries``, let the oldest go down to three quarters of it, never the
        newest ``keep``."""
        if len(self._ids) > self._max:
            for old in list(self._ids)[:min(len(self._ids) - self._max * 3 // 4, len(self._ids) - keep)]:
                del self._ids[old]

    def prefetch(self, emails: Iterable[str]) -> Resolved:
        """Look up, in batches, every address not known yet (unknown ones are remembered);
        the answer for each address asked for, whatever other lanes do to the map meanwhile."""
        wanted = {k for e in emails if (k := email_key(e))}
        with self._lock:
            known = wanted & self._ids.keys()
            for email in known:  # asked for again: now the newest
                self._ids[email] = self._ids.pop(email)
            self._trim(keep=len(known))
            answer = {e: self._ids[e] for e in known}
        todo = sorted(wanted - known)
        if todo and self._stored is not None:
            stored = self._stored(todo)
            with self._lock:
                for email, contact_id in stored.items():
                    self._ids.pop(email, None)
                    self._ids[email] = answer[email] = contact_id
                self._trim(keep=len(answer))
            todo = [e for e in todo if e not in stored]
        for start in range(0, len(todo), self._batch):
            chunk = todo[start:start + self._batch]
            body = self._api.read_contacts(chunk, ["email", "hs_additional_emails"], id_property="email")
            with self._lock:
                for record in body.get("results") or []:
                    for email in self._learn(str(record["id"]), record.get("properties") or {}):
                        answer[email] = str(record["id"])
                for email in chunk:
                    self._ids.setdefault(email, None)
                    answer.setdefault(email, self._ids[email])
                self._trim(keep=len(answer))
        return Resolved(answer)

    def get(self, email: str) -> str | None:
        """The contact id of ``email`` if the map holds it now, or ``None``."""
        with self._lock:
            return self._ids.get(email_key(email))


class Resolved:
    """What one ``prefetch`` found: the contact id of each address asked for, or ``None``."""

    def __init__(self, ids: Mapping[str, str | None]) -> None:
        self._ids = ids

    def get(self, email: str) -> str | None:
        return self._ids.get(email_key(email))
