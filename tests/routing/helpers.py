"""Builders for routing tests: a small rule set, a directory and people."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncd.routing import Directory, RoutingInput, parse_routing

REPO = Path(__file__).resolve().parents[2]
ROUTING = REPO / "mappings" / "routing.toml"

# Salesforce users of the test org: email -> User Id. "gone@acme.example" is named in the
# rules below but is not an active user.
USERS = {"anna@acme.example": "005ANNA", "ben@acme.example": "005BEN",
         "cara@acme.example": "005CARA", "dan@acme.example": "005DAN",
         "eve@acme.example": "005EVE", "api@acme.example": "005API",
         "boss@acme.example": "005BOSS"}
QUEUES = {"EMEA Queue": "00GEMEA", "Unassigned Leads": "00GUNASSIGNED"}

BASE: dict[str, Any] = {
    "owner": {"fallback": "queue:Unassigned Leads", "ignore_owners": ["api@acme.example"]},
    "territories": [
        {"name": "DACH", "countries": ["DE", "AT", "CH"],
         "users": ["anna@acme.example", "ben@acme.example"], "cap_open_active": 25},
        {"name": "California", "countries": ["US"], "states": ["CA"],
         "users": ["cara@acme.example"]},
        {"name": "Finance", "segment": [{"property": "industry",
                                         "values": ["Financial Services", "Banking"]}],
         "users": ["dan@acme.example"]},
        {"name": "Mid-market", "segment": [{"property": "numemployees", "min": 50,
                                            "max": 1000}],
         "users": ["gone@acme.example", "eve@acme.example"]},
        {"name": "EMEA", "countries": ["FR", "GB", "NL"], "queue": "EMEA Queue"},
    ],
    "round_robin": {"users": ["dan@acme.example", "eve@acme.example"]},
}


def rules(**changes: Any):
    """The test rules with top-level sections replaced (dicts merge one level)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **copy.deepcopy(value)}
        else:
            data[key] = copy.deepcopy(value)
    return parse_routing(data, source="test-routing.toml")


def directory(*, open_active: Mapping[str, int] | None = None, users=None, queues=None):
    return Directory(users_by_email=USERS if users is None else users,
                     queues_by_name=QUEUES if queues is None else queues,
                     open_active=dict(open_active or {}))


def person(hubspot_id: str = "101", *, country: str | None = None, state: str | None = None,
           owner: str | None = None, queue: bool = False, hubspot_owner: str | None = None,
           **attributes: Any) -> RoutingInput:
    return RoutingInput(hubspot_id=hubspot_id, country=country, state=state,
                        attributes=attributes, current_owner_id=owner,
                        current_owner_is_queue=queue, hubspot_owner_email=hubspot_owner)
