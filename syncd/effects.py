"""The typed values a cycle's stages hand to each other.

Three families, all frozen:

* **Effects** — what a planner wants done in a system for one person: ``RecordWrite`` (a
  Salesforce Lead/Contact write), and the room the coming work plugs into (``TaskWrite``,
  ``HubSpotWrite``). Each is executed by the executor registered for its type.
* **Facts** — what the state store must remember once a chunk is done: ``Link``,
  ``Written``, ``LifecycleUpdate``, ``StageChange``, ``Reject``, ``ReviewItem``. The store
  decides how each is kept; the core never builds a table row.
* **Outcomes** — what executing one effect gave: applied, rejected or to retry, with the
  facts it produced and the counts it adds to the cycle summary.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import orjson

__all__ = ["ChunkResult", "Effect", "EffectOutcome", "Fact", "FollowUp", "RoutingPositions", "HubSpotQueued", "HubSpotSent", "HubSpotWrite", "HubSpotWritten", "LifecycleUpdate",
           "Link", "MirrorPatch", "MirrorStale", "RecordWrite", "Reject", "ReviewItem", "StageChange", "TaskWrite", "Written"]


# -- effects ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class RecordWrite:
    """Bring one Salesforce Lead or Contact in line: ``update`` by record id, or ``upsert`` on
    the external id (a retried upsert never duplicates). ``desired`` is the full target state,
    kept as what syncd last wrote; ``fields`` is what is sent."""

    hubspot_id: str
    object_name: str
    mode: Literal["update", "upsert"]
    record_id: str | None
    fields: Mapping[str, Any]
    desired: Mapping[str, Any] = field(default_factory=dict)
    matched_by: str | None = None  # None: no record existed, the write creates one
    old: Mapping[str, Any] = field(default_factory=dict)  # Salesforce's values before, per sent field
    why: Mapping[str, str] = field(default_factory=dict)  # the rule behind each sent field

    @property
    def digest(self) -> str:
        """A fingerprint of ``desired``: the same fields and values give the same digest."""
        try:
            text = orjson.dumps(self.desired, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        except TypeError:  # what orjson does not take (a non-dict mapping, integers beyond 64 bits)
            text = json.dumps(self.desired, sort_keys=True, default=str).encode()
        return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskWrite:
    """A follow-up task for a person's owner; ``key`` is deterministic, so a retry or a
    crash between create and commit can never create a second task. ``who_id`` is the
    person's Salesforce record when known; a record created in the same chunk is found by
    the executor. ``follow_up`` is what the state store keeps once the task exists."""

    hubspot_id: str
    key: str
    fields: Mapping[str, Any]
    who_id: str | None = None
    follow_up: Any = None  # a FollowUp fact, completed with the record and task ids
    replaces: Any = None  # an earlier FollowUp this task escalates (kept as escalated)
    sent_before: bool = False  # a run that did not commit sent it: looked for before it is sent again


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotWrite:
    """Contact properties to write to HubSpot. ``clear_first`` names properties that must be
    cleared in an earlier, separate request (a backward ``lifecyclestage`` move). ``old``
    holds HubSpot's values before, ``why`` the rule behind each property."""

    hubspot_id: str
    properties: Mapping[str, Any]
    clear_first: tuple[str, ...] = ()
    old: Mapping[str, Any] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)


Effect = RecordWrite | TaskWrite | HubSpotWrite


# -- facts ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """This HubSpot contact is this Salesforce record (the id map)."""

    hubspot_id: str
    sf_object: str
    sf_id: str | None
    matched_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Written:
    """What syncd last wrote to a person's Salesforce record (diffed against next time)."""

    hubspot_id: str
    sf_object: str
    sf_id: str | None
    digest: str
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class LifecycleUpdate:
    """A person's lifecycle state after qualifying (``state`` is the engine's JSON form)."""

    hubspot_id: str
    stage: str
    state: Mapping[str, Any]
    next_review_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StageChange:
    """One stage transition with the rule that made it and its evidence."""

    hubspot_id: str
    from_stage: str | None
    to_stage: str
    at: datetime
    rule: str
    reason: str
    evidence: Mapping[str, Any]
    run_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reject:
    """A row refused for good (by a system, or before sending); the reason is kept."""

    hubspot_id: str
    sf_object: str | None
    code: str
    message: str
    run_id: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewItem:
    """A person parked for a human: never written until the review is decided."""

    hubspot_id: str
    reason: str
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MirrorStale:
    """The local mirror held this Salesforce record as live and writable, and Salesforce said
    otherwise (deleted, converted): stop matching against it until the feed brings it back."""

    sf_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MirrorPatch:
    """What syncd just wrote to a Salesforce record, put in the local mirror at once, so
    the change feed's next read of the record tells sales' changes from syncd's own."""

    sf_id: str
    sf_object: str
    fields: Mapping[str, Any]
    email_key: str | None = None  # the canonical form of ``fields["Email"]``, when it is written
    external_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotWritten:
    """What syncd last wrote to a HubSpot contact's properties (the contact as stored takes
    them too: it is what HubSpot holds now)."""

    hubspot_id: str
    properties: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotQueued:
    """A HubSpot write waiting in the outbox: the cycle sends the outbox in full batches
    once its chunks are done. A later write for the same contact replaces it (each is
    planned against what HubSpot holds, so the later one carries every change needed)."""

    write: HubSpotWrite

    @property
    def hubspot_id(self) -> str:
        return self.write.hubspot_id


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotSent:
    """An outbox entry done with: ``cleared`` — only its clear request went through (its
    set is still to send); otherwise it leaves the outbox (written, or refused for good)."""

    hubspot_id: str
    cleared: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp:
    """A follow-up under the SLA: who owns it, why it started, when it is due, and how it
    stands (``open``, ``touched`` by sales in time or late, ``breached``)."""

    hubspot_id: str
    seq: int
    key: str
    owner_id: str
    rule: str
    reason: str
    crossing: str
    started_at: datetime
    due_at: datetime
    sf_id: str | None = None
    task_id: str | None = None
    status: str = "open"
    touched_at: datetime | None = None
    breached_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingPositions:
    """Round-robin turns per pool after a chunk, so fairness survives restarts and replicas."""

    positions: Mapping[str, int]


Fact = Link | Written | LifecycleUpdate | StageChange | Reject | ReviewItem | MirrorStale | MirrorPatch | HubSpotWritten | HubSpotQueued | HubSpotSent | FollowUp | RoutingPositions


# -- outcomes ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class EffectOutcome:
    """The result of executing one effect. ``retry``: not done, the person stays pending."""

    effect: Any
    status: Literal["applied", "rejected", "retry"]
    facts: tuple[Any, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def hubspot_id(self) -> str:
        return self.effect.hubspot_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ChunkResult:
    """Everything a chunk changes in the state store, committed in one transaction:
    the facts to keep, the people that leave the pending set, and the people whose writes
    in flight (``syncd.sync.inflight``) the facts now account for: those settled, and those
    whose effects ran (what they produced is kept even when the person stays pending)."""

    facts: tuple[Any, ...] = ()
    settled: tuple[str, ...] = ()
    accounted_for: tuple[str, ...] = ()  # people whose writes in flight these facts account for
    _by_type: dict[type, list[Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_type: dict[type, list[Any]] = {}
        for f in self.facts:
            by_type.setdefault(type(f), []).append(f)
        object.__setattr__(self, "_by_type", by_type)

    def of(self, kind: type) -> list[Any]:
        """The facts of one type (or its subtypes), in order."""
        types = [t for t in self._by_type if issubclass(t, kind)]
        if len(types) == 1:
            return list(self._by_type[types[0]])
        return [f for f in self.facts if isinstance(f, kind)] if types else []
