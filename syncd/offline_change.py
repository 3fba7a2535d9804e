"""``OfflineChange``: everything an offline import (or a review decision) changes in the
state store, kept in one transaction by ``StateStore.save_offline``.

A plain value like the cycle's facts: the shell builds it, both stores keep it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from syncd.effects import Link, ReviewItem
from syncd.models import EngagementEvent, HubSpotContact, require_aware

__all__ = ["FieldFill", "OfflineChange", "OfflineFile", "OfflineRow", "ReviewDecision"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineFile:
    """An imported file, known by its content hash: the same bytes again change nothing."""

    content_hash: str
    name: str
    source: str | None
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineRow:
    """One record of an imported file. ``status``: ``merged`` (an event on ``hubspot_id``),
    ``created`` (a new HubSpot contact ``hubspot_id``), ``review`` (parked), ``held`` (not
    created: no consent or no email), ``to_create`` (a rejected review, created by the next
    import run), ``duplicate``, ``rejected``, ``skipped``. ``target``: the existing record
    matched (``hs:<id>`` or ``sf:<id>``)."""

    content_hash: str
    line: int
    outcome: str
    status: str
    hubspot_id: str | None = None
    target: str | None = None
    reason: str = ""
    fields: Mapping[str, Any] = None  # type: ignore[assignment]

    def row(self) -> dict[str, Any]:
        return {"content_hash": self.content_hash, "line": self.line, "outcome": self.outcome,
                "status": self.status, "hubspot_id": self.hubspot_id, "target": self.target,
                "reason": self.reason, "fields": dict(self.fields or {})}


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldFill:
    """A blank property of a contact filled from an offline row (survivorship: the existing
    value wins; a blank takes the offline value). Kept in the id map's history."""

    hubspot_id: str
    field: str
    value: str
    source: str
    rule: str = "fill_blank"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewDecision:
    """A person's decision on a review item: ``accept`` (``target`` is the same person) or
    ``reject``. The pair (subject, candidates) is never asked again."""

    subject: str
    candidates: tuple[str, ...]
    decision: str
    target: str | None = None

    def __post_init__(self) -> None:
        if self.decision not in ("accept", "reject"):
            raise ValueError(f"review decision must be accept or reject, got {self.decision!r}")

    @property
    def pair(self) -> str:
        return ",".join(sorted(self.candidates))


@dataclass(frozen=True, slots=True, kw_only=True)
class OfflineChange:
    """``contacts`` are stored and become pending; ``events`` are stored (deduplicated by id)
    and make their person pending; ``links`` go to the id map; ``reviews`` to the review
    queue (unless their pair was decided); ``decisions`` are remembered and take their
    subject out of the queue; ``pending`` contacts are looked at again by the next cycle."""

    at: datetime
    file: OfflineFile | None = None
    rows: tuple[OfflineRow, ...] = ()
    contacts: tuple[HubSpotContact, ...] = ()
    events: tuple[EngagementEvent, ...] = ()
    links: tuple[Link, ...] = ()
    fills: tuple[FieldFill, ...] = ()
    reviews: tuple[ReviewItem, ...] = ()
    decisions: tuple[ReviewDecision, ...] = ()
    pending: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_aware("at", self.at)
