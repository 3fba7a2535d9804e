"""Sorted views of the activity feeds, rebuilt only when the state version changes, so a
window query costs a bisection plus its own rows rather than a scan of every event."""

from __future__ import annotations

import bisect
from typing import Any

from .timeutil import parse_time, to_ms

__all__ = ["events_view", "email_events_view", "query_rows", "TimeIndex"]


class TimeIndex:
    """Rows sorted by (ms, id) with bisection on ms; ``keyed`` narrows to one object."""

    def __init__(self, rows: list[tuple[int, str, dict]]):
        rows.sort(key=lambda r: (r[0], r[1]))
        self.ms = [r[0] for r in rows]
        self.rows = [(r[0], r[2]) for r in rows]

    def window(self, since: int | None, until: int | None, *, inclusive: bool) -> list[tuple[int, dict]]:
        """Rows with since < ms < until (or <= both ends when ``inclusive``), oldest first."""
        lo = 0 if since is None else (bisect.bisect_left if inclusive else bisect.bisect_right)(self.ms, since)
        hi = len(self.ms) if until is None else (bisect.bisect_right if inclusive else bisect.bisect_left)(self.ms, until)
        return self.rows[lo:hi]


def _cached(state: Any, name: str, build: Any, key: tuple = ()) -> Any:
    """``build()``, kept on ``state`` under ``name`` until the state changes or ``key`` does."""
    hit = getattr(state, name, None)
    if hit is not None and hit[0] == (state.version, key):
        return hit[1]
    value = build()
    setattr(state, name, ((state.version, key), value))
    return value


def events_view(state: Any) -> dict[str | None, TimeIndex]:
    """Behavioural events: one index over all (key ``None``) and one per object id."""
    def build() -> dict[str | None, TimeIndex]:
        groups: dict[str | None, list[tuple[int, str, dict]]] = {None: []}
        for e in state.events:
            row = (to_ms(parse_time(e["occurredAt"])), e["id"], e)
            groups[None].append(row)
            groups.setdefault(str(e["objectId"]), []).append(row)
        return {k: TimeIndex(v) for k, v in groups.items()}
    return _cached(state, "_events_view", build)


def email_events_view(state: Any) -> TimeIndex:
    """Marketing email events indexed on ``created``."""
    return _cached(state, "_email_events_view",
                   lambda: TimeIndex([(e["created"], e["id"], e) for e in state.email_events]))


def query_rows(state: Any, name: str, key: tuple, build: Any) -> Any:
    """The rows of a paged query (filtered and ordered, before its page is cut), kept until
    the state changes or another query of ``name`` comes: reading page after page of one
    query costs a slice each, not a filter over every row each time (a feed of a million
    events)."""
    return _cached(state, f"_query_{name}", build, key)
