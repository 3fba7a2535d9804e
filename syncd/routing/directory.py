"""routing.toml against the Salesforce directory: who and which queues it names exist."""

from __future__ import annotations

from typing import Literal

from syncd.errors import ConfigIssue
from syncd.routing.model import Directory
from syncd.routing.schema import RoutingRules
from syncd.routing.values import parse_assignee

__all__ = ["check_routing", "resolve_assignee"]

_NO_USER = "not an active Salesforce user; leads skip it"
_USER_FIX = "activate the user in Salesforce, correct the email, or remove it"


def resolve_assignee(spec: str, directory: Directory
                     ) -> tuple[Literal["user", "queue"], str] | None:
    """``"user:<email>"`` or ``"queue:<name>"`` -> (kind, Salesforce id), or None if absent."""
    kind, name = parse_assignee(spec)
    found = directory.users_by_email.get(name.lower()) if kind == "user" else \
        directory.queues_by_name.get(name)
    return None if found is None else (kind, found)


def check_routing(rules: RoutingRules, directory: Directory) -> list[ConfigIssue]:
    """Every user or queue ``rules`` names that the directory lacks, for ``check-config``."""
    issues: list[ConfigIssue] = []

    def add(path: str, found: str, message: str, hint: str) -> None:
        issues.append(ConfigIssue(file=rules.source, path=path, message=message,
                                  found=repr(found), hint=hint))

    def user(path: str, email: str, message: str = _NO_USER) -> None:
        if email not in directory.users_by_email:
            add(path, email, message, _USER_FIX)

    def assignee(path: str, spec: str) -> None:
        kind, name = parse_assignee(spec)
        if kind == "user":
            user(path, name)
        elif name not in directory.queues_by_name:
            add(path, name, "no such queue in Salesforce",
                "create the queue (for Leads) in Salesforce or correct the name")

    assignee("owner.fallback", rules.owner.fallback)
    for i, email in enumerate(rules.owner.ignore_owners):
        user(f"owner.ignore_owners[{i}]", email, "not an active Salesforce user, so it "
             "owns no record to ignore")
    for t, territory in enumerate(rules.territories):
        for i, email in enumerate(territory.users):
            user(f"territories[{t}].users[{i}]", email)
        if territory.queue is not None:
            assignee(f"territories[{t}].queue", f"queue:{territory.queue}")
    for i, email in enumerate(rules.round_robin.users):
        user(f"round_robin.users[{i}]", email)
    if rules.sla.manager is not None:
        assignee("sla.manager", rules.sla.manager)
    return issues
