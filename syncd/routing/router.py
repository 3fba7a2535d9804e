"""One call's routing: the rules in order, with round-robin positions and rep loads that
change as people are assigned (so a cap counts the leads handed out earlier in the call)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from syncd.routing.directory import resolve_assignee
from syncd.routing.geo import country_code, state_code
from syncd.routing.match import matches
from syncd.routing.model import Assignment, Directory, RoutingInput
from syncd.routing.pool import take_turn
from syncd.routing.schema import RoutingRules, Territory

__all__ = ["Router"]

DEFAULT_POOL = "round_robin"


class Router:
    """Assigns people one by one; ``positions`` holds the turns to persist afterwards."""

    def __init__(self, rules: RoutingRules, directory: Directory, positions: Mapping[str, int],
                 *, escalation: bool = False) -> None:
        self.rules, self.directory, self.escalation = rules, directory, escalation
        self.positions = dict(positions)
        self.load = dict(directory.open_active)
        self.active = frozenset(directory.users_by_email.values())
        self.ignored = frozenset(directory.users_by_email[e] for e in rules.owner.ignore_owners
                                 if e in directory.users_by_email)

    def assign(self, person: RoutingInput) -> Assignment | None:
        """The owner for ``person`` by the first rule that places them, or None."""
        notes: list[str] = []
        if not self.escalation:
            found = self._keep_existing(person, notes) or self._hubspot_owner(person, notes)
            if found is not None:
                return found
        found, overflow = self._territories(person, notes)
        if found is None and overflow != "fallback":
            found = self._turn(person, DEFAULT_POOL, self.rules.round_robin.users,
                               self.rules.round_robin.cap_open_active,
                               where="default pool", rule=DEFAULT_POOL, notes=notes)
        return found or self._fallback(person, notes)

    def _keep_existing(self, person: RoutingInput, notes: list[str]) -> Assignment | None:
        owner = person.current_owner_id
        if not self.rules.owner.keep_existing or owner is None:
            return None
        if person.current_owner_is_queue:
            notes.append("the record was in a queue")
        elif owner in self.ignored:
            notes.append("the record's owner is listed in ignore_owners")
        elif owner not in self.active:
            notes.append("the record's owner is not an active Salesforce user")
        else:
            return self._make(person, owner, "user", "keep_existing",
                              "kept the record's current owner", notes, counts=False)
        return None

    def _hubspot_owner(self, person: RoutingInput, notes: list[str]) -> Assignment | None:
        email = (person.hubspot_owner_email or "").strip().lower()
        if not self.rules.owner.hubspot_owner or not email:
            return None
        user_id = self.directory.users_by_email.get(email)
        if user_id is None:
            notes.append("the HubSpot owner is not an active Salesforce user")
            return None
        return self._make(person, user_id, "user", "hubspot_owner",
                          "the contact's HubSpot owner (the Salesforce user with the same "
                          "email)", notes)

    def _territories(self, person: RoutingInput, notes: list[str]
                     ) -> tuple[Assignment | None, str | None]:
        country = country_code(person.country)
        state = state_code(country, person.state)
        for territory in self.rules.territories:
            facts = matches(territory, country=country, state=state,
                            attributes=person.attributes)
            if facts is None:
                continue
            where = f"territory {territory.name}" + (f" ({', '.join(facts)})" if facts else "")
            found = self._in_territory(person, territory, where, notes)
            if found is not None:
                return found, None
            if territory.overflow != "next":
                notes.append(f"territory {territory.name} overflows to {territory.overflow}")
                return None, territory.overflow
        return None, None

    def _in_territory(self, person: RoutingInput, territory: Territory, where: str,
                      notes: list[str]) -> Assignment | None:
        rule = f"territory:{territory.name}"
        if territory.queue is None:
            return self._turn(person, rule, territory.users, territory.cap_open_active,
                              where=where, rule=rule, notes=notes)
        queue_id = self.directory.queues_by_name.get(territory.queue)
        if queue_id is None:
            notes.append(f"{where}: its queue does not exist in Salesforce")
            return None
        return self._make(person, queue_id, "queue", rule, f"{where}, to its queue", notes)

    def _turn(self, person: RoutingInput, pool: str, emails: Sequence[str], cap: int | None,
              *, where: str, rule: str, notes: list[str]) -> Assignment | None:
        if not emails:
            return None
        exclude = (person.current_owner_id,) if self.escalation else ()
        turn = take_turn(emails, position=self.positions.get(pool, 0), cap=cap,
                         users_by_email=self.directory.users_by_email, load=self.load,
                         exclude=exclude)
        if turn.user_id is None:
            notes.append(f"{where}: no rep free ({', '.join(turn.skipped)})")
            return None
        self.positions[pool] = turn.next_position
        reason = f"{where}, round-robin rep {turn.rep} of {turn.size}"
        return self._make(person, turn.user_id, "user", rule, reason, [*turn.skipped, *notes])

    def _fallback(self, person: RoutingInput, notes: list[str]) -> Assignment | None:
        resolved = resolve_assignee(self.rules.owner.fallback, self.directory)
        if resolved is None:
            return None
        kind, owner_id = resolved
        return self._make(person, owner_id, kind, "fallback",
                          "fallback: no other rule placed the lead", notes)

    def _make(self, person: RoutingInput, owner_id: str, kind: Literal["user", "queue"],
              rule: str, reason: str, notes: list[str], *, counts: bool = True) -> Assignment:
        if counts and kind == "user":
            self.load[owner_id] = self.load.get(owner_id, 0) + 1
        if self.escalation:
            reason = f"SLA escalation, {reason}"
        return Assignment(hubspot_id=person.hubspot_id, owner_id=owner_id, owner_kind=kind,
                          rule=rule, reason="; ".join([reason, *notes]))
