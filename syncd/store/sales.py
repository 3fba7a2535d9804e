"""The state store's side of the sales loop: follow-ups under the SLA, round-robin turns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update

from syncd.store import tables as t

__all__ = ["SalesQueries"]

OPEN = ("open", "breached")


class SalesQueries:
    """Mixed into ``SqlStateStore`` (which provides ``engine``)."""

    def follow_ups_for(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Each person's latest follow-up."""
        f = t.follow_ups.c
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.follow_ups).where(f.hubspot_id.in_(list(hubspot_ids))).order_by(f.seq))
            for row in rows.mappings():
                out[row["hubspot_id"]] = dict(row)
        return out

    def open_follow_ups(self) -> list[dict[str, Any]]:
        """Follow-ups still waiting for sales' first touch (breached ones included)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.follow_ups).where(t.follow_ups.c.status.in_(OPEN))
                                .order_by(t.follow_ups.c.due_at))
            return [dict(r) for r in rows.mappings()]

    def touch_follow_ups(self, touches: Mapping[str, Any]) -> int:
        """Follow-ups whose task sales closed (task key → when): touched. How many changed."""
        f = t.follow_ups.c
        changed = 0
        with self.engine.begin() as conn:
            for key, at in touches.items():
                result = conn.execute(update(t.follow_ups).where(f.key == key, f.status.in_(OPEN))
                                      .values(status="touched", touched_at=at))
                changed += result.rowcount or 0
        return changed

    def mark_pending(self, hubspot_ids: Sequence[str]) -> None:
        """Make these live people pending (the cycle must look at them again)."""
        c = t.contacts.c
        with self.engine.begin() as conn:
            conn.execute(update(t.contacts).where(c.hubspot_id.in_(list(hubspot_ids)), c.archived.is_(False),
                                                  c.merged_into.is_(None)).values(pending=True))

    def open_per_owner(self) -> dict[str, int]:
        """Open follow-ups per owner: the load a cap of open active leads is measured on."""
        f = t.follow_ups.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.owner_id, func.count()).where(f.status.in_(OPEN)).group_by(f.owner_id))
            return {owner: n for owner, n in rows}

    def routing_positions(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {p: n for p, n in conn.execute(select(t.routing_positions.c.pool,
                                                         t.routing_positions.c.position))}

    def follow_up_stats(self) -> list[dict[str, Any]]:
        """Every follow-up (for the SLA share per owner and the report)."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t.follow_ups)).mappings()]
