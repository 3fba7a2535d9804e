"""The values routing works on: a person crossing the trigger, the Salesforce directory the
shell looked up, and the assignment that comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Assignment", "Directory", "RoutingInput"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingInput:
    """One person crossing the trigger, with what the shell knows of their record."""

    hubspot_id: str
    country: str | None
    """A country name or code as HubSpot holds it; read as ISO 3166-1 alpha-2."""
    state: str | None
    attributes: Mapping[str, Any]
    """HubSpot properties (numemployees, industry, ...) that segment conditions test."""
    current_owner_id: str | None
    current_owner_is_queue: bool
    hubspot_owner_email: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Directory:
    """What the shell looked up in Salesforce."""

    users_by_email: Mapping[str, str]
    """Lower-cased email -> User Id, active users only."""
    queues_by_name: Mapping[str, str]
    """Queue name -> Group Id."""
    open_active: Mapping[str, int]
    """User Id -> open active leads owned now."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """An owner for one person, with the rule that chose it and why, in words without PII."""

    hubspot_id: str
    owner_id: str
    owner_kind: Literal["user", "queue"]
    rule: str
    reason: str
