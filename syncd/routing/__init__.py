"""Routing: who follows up a person who is ready to buy, and by when.

A pure core driven by ``mappings/routing.toml``; the shell looks up the Salesforce
directory and keeps the round-robin positions::

    rules = load_routing(mappings_dir / "routing.toml", stage_keys=scoring.ranks)
    issues = check_routing(rules, directory)                 # for check-config
    assignments, positions = route(rules, people, directory, positions)
"""

from syncd.routing.config import load_routing, parse_routing
from syncd.routing.directory import check_routing, resolve_assignee
from syncd.routing.model import Assignment, Directory, RoutingInput
from syncd.routing.route import reassign, route
from syncd.routing.schema import (Condition, OwnerSection, PoolSection, RoutingRules,
                                  SlaSection, StatusSection, Territory, TriggerSection)

__all__ = ["Assignment", "Condition", "Directory", "OwnerSection", "PoolSection",
           "RoutingInput", "RoutingRules", "SlaSection", "StatusSection", "Territory",
           "TriggerSection", "check_routing", "load_routing", "parse_routing", "reassign",
           "resolve_assignee", "route"]
