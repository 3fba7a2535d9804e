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
from syncd.models import HubSpotContact

from .timeutil import to_ms

__all__ = ["ChangedContacts", "RecentPairs"]


class RecentPairs:
    """(key, ms) pairs emitted by one read, as much of them as a cursor keeps.

    ``KeysetCursor.advance`` and ``WindowCursor.advance`` keep only the pairs within
    ``window_ms`` (the overlap, the late window) of the newest time, and the newest time
    only grows as pairs come: older pairs are let go as they fall out. A key met twice keeps
    its newest time (a window stream's record never changes its occurrence time).
    """

    def __init__(self, window_ms: int) -> None:
        self._window_ms = window_ms
        self._pairs: dict[str, int] = {}
        self._newest = 0
        self._prune_at = 1024

    def add(self, key: str, ms: int) -> None:
        old = self._pairs.get(key)
        self._pairs[key] = ms if old is None or ms > old else old
        if ms > self._newest:
            self._newest = ms
        if len(self._pairs) > self._prune_at:
            floor = self._newest - self._window_ms
            self._pairs = {k: v for k, v in self._pairs.items() if v >= floor}
            self._prune_at = max(1024, 2 * len(self._pairs))

    def __len__(self) -> int:
        return len(self._pairs)

    def items(self) -> list[tuple[str, int]]:
        return list(self._pairs.items())


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
        self._pairs = RecentPairs(overlap_ms)
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
        self._pairs.add(contact.id, to_ms(contact.updated_at))

    def cost(self, stream: str) -> int:
        """Calls asking per contact would take for ``stream``."""
        return self._costs[stream]

    def keys(self, stream: str) -> list[str] | None:
        """The per-contact keys of ``stream`` in reading order (contacts first read first),
        or None when there are too many for asking per contact to be the cheaper plan."""
        kept = self._keys[stream]
        return None if kept is None else [k for keys in kept.values() for k in keys]

    def emitted(self) -> list[tuple[str, int]]:
        """(id, change ms) pairs the contacts cursor needs: those near the newest change."""
        return self._pairs.items()
