"""Routing: who follows up a person who is ready to buy, and by when.

A pure core driven by ``mappings/routing.toml``; the shell looks up the Salesforce
directory and keeps the round-robin positions::

    rules = load_routing(mappings_dir / "routing.toml", stage_keys=scoring.ranks)
    issues = check_routing(rules, directory)                 # for check-config
    if crossing(rules.trigger, stage_before=..., stage=..., intent_before=..., intent=...):
        assignments, positions = route(rules, people, directory, positions)
        due = due_at(rules.sla, crossed_at)
    hours_late = business_hours_between(rules.sla, due, now)
"""

from syncd.routing.calendar import business_hours_between, due_at, is_working_day
from syncd.routing.config import load_routing, parse_routing
from syncd.routing.directory import check_routing, resolve_assignee
from syncd.routing.model import Assignment, Directory, RoutingInput
from syncd.routing.route import reassign, route
from syncd.routing.schema import (Condition, OwnerSection, PoolSection, RoutingRules,
                                  SlaSection, StatusSection, Territory, TriggerSection)
from syncd.routing.trigger import crossing, follow_up_subject

__all__ = ["Assignment", "Condition", "Directory", "OwnerSection", "PoolSection",
           "RoutingInput", "RoutingRules", "SlaSection", "StatusSection", "Territory",
           "TriggerSection", "business_hours_between", "check_routing", "crossing", "due_at",
           "follow_up_subject", "is_working_day", "load_routing", "parse_routing", "reassign",
           "resolve_assignee", "route"]
