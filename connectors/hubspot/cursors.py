"""Stream cursors as values: read from the JSON a store keeps, advanced by pure functions.

Two shapes:

* ``KeysetCursor`` (contacts, engagement objects): the newest change time seen and the
  (id → change time) pairs within the overlap window, so re-reading the overlap emits
  nothing twice, however many records share one millisecond; for contacts also the time
  windows of syncd's own write bursts (``OwnWindow``), which a read skips once a count
  shows they hold nothing but syncd's own writes.
* ``WindowCursor`` (email events, behavioural events, form submissions): the newest
  occurrence time seen (high-water mark) and the ids that occurred within the late
  window below it; each read re-reads that window, so late-arriving events are caught once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KeysetCursor", "OwnWindow", "WindowCursor"]


def _pairs(raw: Any, stream: str) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, int) for v in raw.values()):
        raise ValueError(f"cursor {stream!r}: 'seen'/'ids' must map ids to epoch ms; "
                         "delete the cursor to re-read the stream")
    return {str(k): int(v) for k, v in raw.items()}


@dataclass(frozen=True, slots=True)
class OwnWindow:
    """A burst of syncd's own contact writes, from ``lo`` to ``hi`` (epoch ms, inclusive, the
    ``updatedAt`` HubSpot answered); the versions it made are in the cursor's ``seen``. When
    a search count of the window equals the number of versions ``seen`` places in it,
    nobody else changed a contact in it, so it need not be read; any other count (a new
    change, a late one) and the window is read like the rest."""

    lo: int
    hi: int

    def dump(self) -> list[int]:
        return [self.lo, self.hi]

    def holds(self, seen: Mapping[str, int]) -> int:
        """How many contacts ``seen`` places in the window."""
        return sum(1 for ms in seen.values() if self.lo <= ms <= self.hi)


MAX_OWN_WINDOWS = 3  # a search takes at most 5 filter groups: the ranges between the windows


def _own(raw: Any, stream: str) -> tuple[OwnWindow, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, list) and len(w) == 2 and
                                            all(isinstance(x, int) for x in w) for w in raw):
        raise ValueError(f"cursor {stream!r}: 'own' must be a list of [lo, hi] epoch-ms windows; "
                         "delete the cursor to re-read the stream")
    return tuple(OwnWindow(*w) for w in raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class KeysetCursor:
    """Newest change time ``ts`` (epoch ms), ``seen`` id → change time near it, and
    ``read_at``: when the read that produced this cursor started (epoch ms)."""

    ts: int = 0
    seen: Mapping[str, int] = field(default_factory=dict)
    read_at: int | None = None
    own: tuple[OwnWindow, ...] = ()

    @classmethod
    def load(cls, raw: Mapping[str, Any] | None, stream: str) -> "KeysetCursor":
        if not raw:
            return cls()
        if not isinstance(raw.get("ts"), int):
            raise ValueError(f"cursor {stream!r}: 'ts' must be epoch milliseconds, got "
                             f"{raw.get('ts')!r}; delete the cursor to re-read the stream")
        read_at = raw.get("read_at")
        return cls(ts=raw["ts"], seen=_pairs(raw.get("seen"), stream),
                   read_at=read_at if isinstance(read_at, int) else None, own=_own(raw.get("own"), stream))

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ts": self.ts, "seen": dict(self.seen)}
        if self.read_at is not None:
            out["read_at"] = self.read_at
        if self.own:
            out["own"] = [w.dump() for w in self.own]
        return out

    def with_own_writes(self, versions: Mapping[str, int]) -> "KeysetCursor":
        """The cursor knowing that syncd itself wrote these contacts (id → ``updatedAt`` ms):
        the versions are seen, in one more window; beyond ``MAX_OWN_WINDOWS`` the oldest two
        are merged (a merged window also spans the time between them, so its count may
        differ and it is then read: merging costs calls, never a change)."""
        if not versions or (self.ts == 0 and not self.seen):  # a first read reads everything anyway
            return self
        seen = dict(self.seen)
        for record_id, ms in versions.items():
            seen[record_id] = max(ms, seen.get(record_id, ms))
        windows = [*self.own, OwnWindow(min(versions.values()), max(versions.values()))]
        windows.sort(key=lambda w: w.lo)
        while len(windows) > MAX_OWN_WINDOWS:
            a, b = windows[0], windows[1]
            windows[:2] = [OwnWindow(min(a.lo, b.lo), max(a.hi, b.hi))]
        return KeysetCursor(ts=self.ts, seen=seen, read_at=self.read_at, own=tuple(windows))

    def _own_version(self, ms: int) -> bool:
        return any(w.lo <= ms <= w.hi for w in self.own)

    def windows_from(self, since_ms: int) -> tuple[OwnWindow, ...]:
        """The own-write windows a read starting at ``since_ms`` would cover."""
        return tuple(w for w in self.own if w.hi >= since_ms)

    def since(self, overlap_ms: int) -> int:
        """Start (epoch ms, inclusive) of the next read.

        A change committed late still carries a time within ``overlap`` of when the last
        read ran, so once that read is more than ``overlap`` past ``ts`` only newer
        changes remain; otherwise the overlap below ``ts`` is re-read (and deduplicated).
        """
        if self.ts == 0 and not self.seen:
            return 0
        if self.read_at is None:
            return max(self.ts - overlap_ms, 0)
        low = self.read_at - overlap_ms
        return self.ts + 1 if low > self.ts else max(low, self.ts - overlap_ms, 0)

    def is_new(self, record_id: str, ms: int) -> bool:
        """Whether this version of the record has not been emitted yet."""
        return self.seen.get(record_id) != ms

    def advance(self, emitted: Iterable[tuple[str, int]], overlap_ms: int, *,
                read_at: int | None = None) -> "KeysetCursor":
        """The cursor after emitting ``emitted`` (id, change ms) pairs in a read that
        started at ``read_at``, which covered the own-write windows from its start (read or
        counted). A window covered more than ``overlap`` after its last write is settled:
        it joins the time read up to (``ts``) and is dropped."""
        seen = dict(self.seen)
        for record_id, ms in emitted:
            seen[record_id] = max(ms, seen.get(record_id, ms))
        ts = max([self.ts, *(ms for record_id, ms in seen.items() if not self._own_version(ms))])
        windows = self.own
        if read_at is not None:
            settled = [w for w in windows if read_at - overlap_ms > w.hi]
            if settled:
                ts = max(ts, *(w.hi for w in settled))
                windows = tuple(w for w in windows if w not in settled)
        windows = tuple(w for w in windows if w.hi > ts)
        return KeysetCursor(ts=ts, seen={k: v for k, v in seen.items() if v >= ts - overlap_ms},
                            read_at=self.read_at if read_at is None else read_at, own=windows)


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowCursor:
    """High-water mark ``hwm`` (epoch ms of the newest occurrence) and ``ids`` near it.

    ``swept_at`` is when the late window was last re-read in full; ``pending`` says a
    shorter read happened since (late events may wait for the next sweep).
    ``window_calls`` / ``sweep_calls`` are what the last such reads cost: the estimates
    that decide between reading the window and asking per changed contact.
    """

    hwm: int = 0
    ids: Mapping[str, int] = field(default_factory=dict)
    swept_at: int | None = None
    pending: bool = False
    window_calls: int | None = None
    sweep_calls: int | None = None

    @classmethod
    def load(cls, raw: Mapping[str, Any] | None, stream: str) -> "WindowCursor":
        if not raw:
            return cls()
        if not isinstance(raw.get("hwm"), int):
            raise ValueError(f"cursor {stream!r}: 'hwm' must be epoch milliseconds, got "
                             f"{raw.get('hwm')!r}; delete the cursor to re-read the stream")
        ints = {k: raw.get(k) if isinstance(raw.get(k), int) else None
                for k in ("swept_at", "window_calls", "sweep_calls")}
        return cls(hwm=raw["hwm"], ids=_pairs(raw.get("ids"), stream),
                   pending=bool(raw.get("pending", False)), **ints)

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {"hwm": self.hwm, "ids": dict(self.ids), "pending": self.pending}
        for name in ("swept_at", "window_calls", "sweep_calls"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def since(self, late_ms: int) -> int:
        """Start (epoch ms, inclusive) of a read reaching ``late_ms`` below the mark."""
        return max(self.hwm - late_ms, 0)

    def sweep_due(self, now_ms: int, every_ms: int) -> bool:
        """Whether the next read should re-read the whole late window."""
        return self.swept_at is None or now_ms - self.swept_at >= every_ms

    def advance(self, emitted: Iterable[tuple[str, int]], late_ms: int, *, swept_at: int | None = None,
                pending: bool | None = None, calls: int | None = None) -> "WindowCursor":
        """The cursor after emitting ``emitted`` (id, occurred ms) pairs in a read that
        cost ``calls`` (a sweep when ``swept_at`` is given)."""
        ids = dict(self.ids)
        ids.update(emitted)
        hwm = max([self.hwm, *ids.values()])
        sweep = swept_at is not None
        return WindowCursor(
            hwm=hwm, ids={k: v for k, v in ids.items() if v >= hwm - late_ms},
            swept_at=swept_at if sweep else self.swept_at,
            pending=self.pending if pending is None else pending,
            window_calls=calls if calls is not None and not sweep else self.window_calls,
            sweep_calls=calls if calls is not None and sweep else self.sweep_calls)
