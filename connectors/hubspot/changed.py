"""What a pull keeps of the contacts it read, for the engagement streams and the cursor.

A pull stores every changed contact as it reads it; only a summary stays in memory until
the engagement streams are done: for each stream that can ask per contact, the per-contact
keys (ids, addresses) while asking per contact could still be the cheaper plan, the number
of per-contact calls, whether any contact ever converted, and the (id, change time) pairs
near the newest change, which are all the contacts cursor keeps. Its size is bounded by
the streams' last window costs and the cursor's overlap, not by the number of contacts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from syncd.models import HubSpotContact

from .timeutil import to_ms

__all__ = ["ChangedContacts"]


class ChangedContacts:
    """The contacts of one pull, summarised.

    ``keys_of`` maps each stream that can read per contact to the keys one contact costs
    (one call each); ``caps`` is, per such stream, the largest per-contact cost that could
    still be chosen over reading its window (the stream's last window or sweep cost).
    """

    def __init__(self, keys_of: Mapping[str, Callable[[HubSpotContact], Sequence[str]]],
                 caps: Mapping[str, int], overlap_ms: int) -> None:
        self._keys_of = dict(keys_of)
        self._caps = {name: int(caps.get(name) or 0) for name in keys_of}
        # stream → contact id → keys, the latest version of each contact; None once the
        # stream's per-contact cost has passed its cap (it reads its window then)
        self._keys: dict[str, dict[str, tuple[str, ...]] | None] = {name: {} for name in keys_of}
        self._costs: dict[str, int] = {name: 0 for name in keys_of}
        self._overlap_ms = overlap_ms
        self._pairs: dict[str, int] = {}
        self._newest = 0
        self._prune_at = 1024
        self.count = 0
        self.converted = False

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, contact: HubSpotContact) -> None:
        """Take one contact read (a later version of a contact replaces the earlier one)."""
        self.count += 1
        self.converted |= float(contact.properties.get("num_conversion_events") or 0) > 0
        for name, keys_of in self._keys_of.items():
            kept = self._keys[name]
            keys = tuple(keys_of(contact))
            if kept is None:
                self._costs[name] += len(keys)
                continue
            self._costs[name] += len(keys) - len(kept.get(contact.id, ()))
            kept[contact.id] = keys
            if self._costs[name] > self._caps[name]:
                self._keys[name] = None
        self._remember(contact.id, to_ms(contact.updated_at))

    def _remember(self, contact_id: str, ms: int) -> None:
        # ``KeysetCursor.advance`` keeps only pairs within the overlap of the newest change,
        # and the newest change only grows: older pairs can be let go as we read.
        self._pairs[contact_id] = max(ms, self._pairs.get(contact_id, ms))
        self._newest = max(self._newest, ms)
        if len(self._pairs) > self._prune_at:
            floor = self._newest - self._overlap_ms
            self._pairs = {k: v for k, v in self._pairs.items() if v >= floor}
            self._prune_at = max(1024, 2 * len(self._pairs))

    def cost(self, stream: str) -> int:
        """Calls asking per contact would take for ``stream``."""
        return self._costs[stream]

    def keys(self, stream: str) -> list[str] | None:
        """The per-contact keys of ``stream`` in reading order (contacts first read first),
        or None when there are too many for asking per contact to be the cheaper plan."""
        kept = self._keys[stream]
        return None if kept is None else [k for keys in kept.values() for k in keys]

    def emitted(self) -> list[tuple[str, Any]]:
        """(id, change ms) pairs the contacts cursor needs: those near the newest change."""
        return list(self._pairs.items())
