"""Routing: who follows up a person who is ready to buy, and by when.

Driven by ``mappings/routing.toml``, loaded once with ``load_routing``.
"""

from syncd.routing.config import load_routing, parse_routing
from syncd.routing.model import Assignment, Directory, RoutingInput
from syncd.routing.schema import (Condition, OwnerSection, PoolSection, RoutingRules,
                                  SlaSection, StatusSection, Territory, TriggerSection)

__all__ = ["Assignment", "Condition", "Directory", "OwnerSection", "PoolSection",
           "RoutingInput", "RoutingRules", "SlaSection", "StatusSection", "Territory",
           "TriggerSection", "load_routing", "parse_routing"]
