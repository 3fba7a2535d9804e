"""Email → contact id, for feeds that name a recipient instead of a contact.

Contacts read in this run fill the map for free; unknown addresses are looked up in
batches of 100 (``idProperty=email`` also matches additional emails of merged contacts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

__all__ = ["EmailResolver"]

_MAX_ENTRIES = 500_000


class _Reader(Protocol):
    def read_contacts(self, ids: list[str], properties: list[str], *,
                      id_property: str | None = None) -> dict: ...


class EmailResolver:
    """A bounded email → contact id map that can ask HubSpot about the addresses it lacks."""

    def __init__(self, api: _Reader, batch_size: int = 100) -> None:
        self._api, self._batch = api, batch_size
        self._ids: dict[str, str | None] = {}

    def learn(self, contact_id: str, properties: Mapping[str, Any]) -> None:
        """Remember a contact's primary and additional emails."""
        if len(self._ids) > _MAX_ENTRIES:
            self._ids.clear()  # a cache: losing it costs lookups, never correctness
        for email in [properties.get("email"), *str(properties.get("hs_additional_emails") or "").split(";")]:
            if email:
                self._ids[email.strip().lower()] = contact_id

    def prefetch(self, emails: Iterable[str]) -> None:
        """Look up, in batches, every address not known yet (unknown ones are remembered)."""
        todo = sorted({e.strip().lower() for e in emails if e} - self._ids.keys())
        for start in range(0, len(todo), self._batch):
            chunk = todo[start:start + self._batch]
            body = self._api.read_contacts(chunk, ["email", "hs_additional_emails"], id_property="email")
            for record in body.get("results") or []:
                self.learn(str(record["id"]), record.get("properties") or {})
            for email in chunk:
                self._ids.setdefault(email, None)

    def get(self, email: str) -> str | None:
        """The contact id of ``email`` (after ``prefetch``), or ``None``."""
        return self._ids.get(email.strip().lower()) if email else None
