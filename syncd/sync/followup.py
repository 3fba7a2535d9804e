"""The sales loop inside a cycle: a named owner and one follow-up task under the SLA when a
person crosses the trigger (``mappings/routing.toml``).

* ``route`` (pure, per chunk): who crosses the trigger now, and the owner each gets; the
  round-robin turns come back as a fact so fairness survives restarts and replicas.
* ``TaskPlanner`` (pure): one ``TaskWrite`` per crossing, keyed ``syncd:<contact>:<n>`` —
  the n-th follow-up of that person — so a retry or a crash between the create and the
  local commit upserts the same task instead of making a second one.
* ``TaskExecutor`` (shell): upserts tasks on that key through sObject Collections; a
  person's record created in the same chunk gives the task its ``WhoId``. A task that a run
  which did not commit was about to send is looked for first, and kept as Salesforce holds
  it when it is there (``syncd.sync.inflight``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from syncd.effects import EffectOutcome, FollowUp, Link, Reject, RoutingPositions, TaskWrite
from syncd.models import CrmRecord
from syncd.ports import CrmGateway
from syncd.routing import (Assignment, RoutingInput, RoutingRules, crossing, due_at, follow_up_subject, reassign,
                           route)
from syncd.routing import Directory as RoutingDirectory
from syncd.routing import business_hours_between, resolve_assignee
from syncd.sync.directory import Directory
from syncd.sync.inflight import task_sent_before, task_times
from syncd.sync.planners import Person, PlanContext
from syncd.sync.qualify import Qualified
from syncd.sync.sla import follow_up_of

__all__ = ["TaskExecutor", "TaskPlanner", "route_people", "task_key"]

QUEUE_PREFIX = "00G"


def task_key(hubspot_id: str, seq: int) -> str:
    return f"syncd:{hubspot_id}:{seq}"


def _crossing(rules: RoutingRules, person: Person, q: Qualified) -> str | None:
    before = person.previous or {}
    return crossing(rules.trigger, stage_before=before.get("stage"), stage=q.lifecycle.stage,
                    intent_before=before.get("intent"), intent=q.computed.values.get("intent"))


def _input(person: Person, directory: Directory) -> RoutingInput:
    props = person.contact.properties
    record = person.record_before  # an owner syncd itself just gave is not the current owner
    owner = (record.fields.get("OwnerId") if record else None) or None
    owners_by_id = {v: k for k, v in directory.hubspot_owners.items()}
    return RoutingInput(hubspot_id=person.id, country=props.get("country"), state=props.get("state"),
                        attributes=props, current_owner_id=owner,
                        current_owner_is_queue=bool(owner and owner.startswith(QUEUE_PREFIX)),
                        hubspot_owner_email=owners_by_id.get(props.get("hubspot_owner_id") or ""))


def _routing_dir(directory: Directory, open_per_owner: Mapping[str, int]) -> RoutingDirectory:
    return RoutingDirectory(users_by_email=directory.sf_users_by_email, queues_by_name=directory.queues_by_name,
                            open_active=open_per_owner)


def _breached(person: Person) -> bool:
    return (person.follow_up or {}).get("status") == "breached"


def route_people(rules: RoutingRules, people: Sequence[tuple[Person, Qualified | None]], directory: Directory,
                 *, positions: Mapping[str, int], open_per_owner: Mapping[str, int]
                 ) -> tuple[list[tuple[Person, Qualified | None]], RoutingPositions | None]:
    """Pure: the people who cross the trigger get ``crossing`` and ``assignment`` set; with
    ``escalation = "reassign"``, so do those whose follow-up was breached (to the next rep)."""
    crossed = {p.id: why for p, q in people if q is not None and (why := _crossing(rules, p, q))}
    again = {p.id: "SLA breached: reassigned" for p, q in people
             if q is not None and p.id not in crossed and _breached(p) and rules.sla.escalation == "reassign"}
    if not crossed and not again:
        return list(people), None
    routing_dir = _routing_dir(directory, open_per_owner)
    assignments, turns = route(rules, [_input(p, directory) for p, _ in people if p.id in crossed],
                               routing_dir, positions)
    if again:
        moved, turns = reassign(rules, [_input(p, directory) for p, _ in people if p.id in again],
                                routing_dir, turns)
        assignments += moved
        crossed.update(again)
    by_id: dict[str, Assignment] = {a.hubspot_id: a for a in assignments}
    out = [(p, q if q is None or p.id not in crossed else
            replace(q, crossing=crossed[p.id], assignment=by_id.get(p.id))) for p, q in people]
    return out, RoutingPositions(positions=turns)


@dataclass(frozen=True, slots=True)
class TaskPlanner:
    """One follow-up task for the owner of a person who crossed the trigger."""

    rules: RoutingRules

    def plan(self, person: Person, qualified: Qualified, ctx: PlanContext) -> Sequence[TaskWrite]:
        a = qualified.assignment
        old = person.follow_up if _breached(person) else None
        replaces = replace(follow_up_of(old), status="escalated") if old else None
        if old and self.rules.sla.escalation == "manager_task":
            return (self._manager_task(person, qualified, ctx, replaces),)
        if qualified.crossing is None or a is None or a.owner_kind != "user":
            return ()  # a queue owns no task: the rep who takes the lead from the queue does
        seq = int((person.follow_up or {}).get("seq") or 0) + 1
        key = task_key(person.id, seq)
        # a run that did not commit may have sent this task: the same times as that run
        started, due = task_times(person.in_flight, key) or (ctx.now, due_at(self.rules.sla, ctx.now))
        v = qualified.computed.values
        props = person.contact.properties
        name = " ".join(x for x in (props.get("firstname"), props.get("lastname")) if x) or None
        fields = {"Syncd_Key__c": key, "OwnerId": a.owner_id, "Priority": self.rules.sla.priority,
                  "Status": "Not Started", "ActivityDate": due.date().isoformat(),
                  "Subject": follow_up_subject(self.rules.sla, {
                      "name": name, "company": props.get("company"), "intent": v.get("intent"),
                      "stage": v.get("stage"), "score": v.get("score"), "grade": v.get("grade")}),
                  "Description": v.get("profile") or ""}
        record = person.decision.record
        follow_up = FollowUp(hubspot_id=person.id, seq=seq, key=key, owner_id=a.owner_id, rule=a.rule,
                             reason=a.reason, crossing=qualified.crossing, started_at=started, due_at=due,
                             sf_id=record.id if record else None)
        return (TaskWrite(hubspot_id=person.id, key=key, fields=fields, who_id=record.id if record else None,
                          follow_up=follow_up, replaces=replaces,
                          sent_before=task_sent_before(person.in_flight, key)),)

    def _manager_task(self, person: Person, qualified: Qualified, ctx: PlanContext, old: Any) -> TaskWrite:
        kind, manager = resolve_assignee(self.rules.sla.manager, _routing_dir(ctx.directory, {})) or ("user", "")
        late = round(business_hours_between(self.rules.sla, old.due_at, ctx.now), 1)
        fields = {"Syncd_Key__c": f"{old.key}:escalation", "OwnerId": manager or old.owner_id,
                  "Priority": "High", "Status": "Not Started", "ActivityDate": ctx.now.date().isoformat(),
                  "Subject": f"SLA breached: follow-up {old.key} untouched, {late} business hours late",
                  "Description": qualified.computed.values.get("profile") or ""}
        return TaskWrite(hubspot_id=person.id, key=fields["Syncd_Key__c"], fields=fields, who_id=old.sf_id,
                         replaces=old, sent_before=task_sent_before(person.in_flight, fields["Syncd_Key__c"]))


@dataclass(frozen=True, slots=True)
class TaskExecutor:
    """Upserts follow-up tasks on ``Syncd_Key__c`` (Collections, 200 a call)."""

    crm: CrmGateway
    effect_type: type = TaskWrite

    def execute(self, effects: Sequence[TaskWrite], *, run_id: str, now: datetime,
                earlier: Sequence[EffectOutcome] = ()) -> list[EffectOutcome]:
        created = {f.hubspot_id: f.sf_id for o in earlier if o.status == "applied"
                   for f in o.facts if isinstance(f, Link)}
        ready, waiting = [], []
        for task in effects:
            who = task.who_id or created.get(task.hubspot_id)
            (ready if who else waiting).append((task, who))
        outcomes = [EffectOutcome(effect=t, status="retry", counts={"retrying": 1}) for t, _ in waiting]
        # a task a run that did not commit sent is kept as Salesforce holds it, not sent again
        maybe_there = [t.key for t, _ in ready if t.sent_before]
        there = self.crm.tasks_by_key(maybe_there) if maybe_there else {}
        outcomes += [_kept(t, who, there[t.key]) for t, who in ready if t.key in there]
        ready = [(t, who) for t, who in ready if t.key not in there]
        if ready:
            results = self.crm.upsert_tasks([{**t.fields, "WhoId": who} for t, who in ready])
            outcomes += [_outcome(t, who, r, run_id, now) for (t, who), r in zip(ready, results, strict=True)]
        return outcomes


def _facts(task: TaskWrite, who: str, task_id: str) -> tuple[Any, ...]:
    return tuple(f for f in (task.replaces, task.follow_up and replace(task.follow_up, sf_id=who,
                                                                        task_id=task_id)) if f)


def _kept(task: TaskWrite, who: str, found: CrmRecord) -> EffectOutcome:
    return EffectOutcome(effect=task, status="applied", facts=_facts(task, who, found.id),
                         counts={"tasks_already_written": 1})


def _outcome(task: TaskWrite, who: str, result: Any, run_id: str, now: datetime) -> EffectOutcome:
    if result.ok:
        return EffectOutcome(effect=task, status="applied", facts=_facts(task, who, result.id),
                             counts={"tasks_created" if result.created else "tasks_updated": 1})
    if result.retriable:
        return EffectOutcome(effect=task, status="retry", counts={"retrying": 1})
    reject = Reject(hubspot_id=task.hubspot_id, sf_object="Task", code=result.error_code or "ERROR",
                    message=result.message or "", run_id=run_id, at=now)
    return EffectOutcome(effect=task, status="rejected", facts=(reject,), counts={"rejected": 1})
