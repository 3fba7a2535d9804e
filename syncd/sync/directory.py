"""Who is who across the two systems: Salesforce users and queues, HubSpot owners.

The shell loads it (two reads) only when a cycle has people to plan, and keeps it for an
hour; planners receive it as a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = ["Directory", "DirectoryLoader"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Directory:
    sf_user_emails: Mapping[str, str] = field(default_factory=dict)  # Salesforce user id → lower email
    queues_by_name: Mapping[str, str] = field(default_factory=dict)  # queue name → Group id
    hubspot_owners: Mapping[str, str] = field(default_factory=dict)  # lower email → HubSpot owner id

    @property
    def sf_users_by_email(self) -> dict[str, str]:
        return {email: uid for uid, email in self.sf_user_emails.items()}

    def hubspot_owner_of(self, sf_owner_id: str | None) -> str | None:
        """The HubSpot owner who is the same person as this Salesforce owner, if any."""
        email = self.sf_user_emails.get(sf_owner_id or "")
        return self.hubspot_owners.get(email) if email else None


class DirectoryLoader:
    """Reads the directory through the ports, at most once per ``ttl``."""

    def __init__(self, crm: Any, hubspot: Any, *, ttl: timedelta = timedelta(hours=1)) -> None:
        self.crm, self.hubspot, self.ttl = crm, hubspot, ttl
        self._cached: tuple[datetime, Directory] | None = None

    def get(self, now: datetime) -> Directory:
        if self._cached is None or now - self._cached[0] >= self.ttl:
            users = {u["Id"]: (u.get("Email") or "").strip().lower() for u in self.crm.users()}
            queues = {q["Name"]: q["Id"] for q in self.crm.queues()}
            owners = {(o.get("email") or "").strip().lower(): str(o["id"]) for o in self.hubspot.owners()
                      if o.get("email")}
            self._cached = (now, Directory(sf_user_emails=users, queues_by_name=queues, hubspot_owners=owners))
        return self._cached[1]
