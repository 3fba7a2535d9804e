"""Who owns a person who crossed the trigger: the rules of ``routing.toml`` in order.

1. ``keep_existing``: a record owned by an active user (not a queue, not an ignored
   owner such as the integration user) keeps its owner.
2. ``hubspot_owner``: the HubSpot owner's email names an active Salesforce user.
3. ``territories``, in order: the first whose conditions hold assigns round-robin among
   its users (skipping reps at the cap) or to its queue; when nobody there can take the
   lead, its ``overflow`` goes on to the next territory, the default pool or the fallback.
4. ``round_robin``: the default pool.
5. ``owner.fallback``.

Pure: the caller looks up the directory and keeps the round-robin positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from syncd.routing.model import Assignment, Directory, RoutingInput
from syncd.routing.router import Router
from syncd.routing.schema import RoutingRules

__all__ = ["Assignment", "Directory", "RoutingInput", "reassign", "route"]


def route(rules: RoutingRules, people: Sequence[RoutingInput], directory: Directory,
          positions: Mapping[str, int]) -> tuple[list[Assignment], dict[str, int]]:
    """Assign an owner to each person, in the order given; return the assignments and the
    round-robin positions to keep (per pool: ``"territory:<name>"``, ``"round_robin"``).

    Caps count the leads assigned earlier in the same call. A person whom even the
    fallback cannot place (it names a user or queue the directory lacks, which
    ``check_routing`` reports) gets no assignment: the record keeps its owner.
    """
    router = Router(rules, directory, positions)
    out = [a for person in people if (a := router.assign(person)) is not None]
    return out, router.positions


def reassign(rules: RoutingRules, people: Sequence[RoutingInput], directory: Directory,
             positions: Mapping[str, int]) -> tuple[list[Assignment], dict[str, int]]:
    """Escalation after an SLA breach: route again without keeping the current owner or
    following the HubSpot owner, and never back to the rep who let the SLA lapse."""
    router = Router(rules, directory, positions, escalation=True)
    out = [a for person in people if (a := router.assign(person)) is not None]
    return out, router.positions
