"""What the cycle's core is configured with: the field mapping and the scoring model.

The core never sees ``Settings`` (connections, secrets); the composition root hands it
these two, already validated.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncd.lifecycle import DEFAULT_HUBSPOT_STAGES, ScoringModel, required_properties
from syncd.mapping import FieldMapping
from syncd.routing import RoutingRules

__all__ = ["SyncRules"]

CHUNK = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncRules:
    mapping: FieldMapping
    model: ScoringModel
    routing: RoutingRules | None = None  # None: no owner rule, no follow-up tasks
    hubspot_stages: tuple[str, ...] = tuple(DEFAULT_HUBSPOT_STAGES)  # the portal's lifecyclestage order
    chunk_size: int = CHUNK

    @property
    def external_id_field(self) -> str:
        return self.mapping.salesforce.external_id_field

    def hubspot_properties(self) -> list[str]:
        """Every contact property a cycle reads: the mapped ones, those the scoring model
        reads, and HubSpot's lead status (the verdict before a Salesforce record exists)."""
        routing = {"country", "state", "hubspot_owner_id", "firstname", "lastname", "company"} if self.routing else set()
        return sorted(self.mapping.hubspot_properties() | required_properties(self.model)
                      | {"hs_lead_status"} | routing)

    def written_values(self) -> dict[str, list[str]]:
        """Every value syncd may write into the computed picklist fields."""
        return {"stage": sorted({d.salesforce for d in self.model.stage_defs.values()}),
                "intent": ["active", "passive"],
                "grade": sorted({g for g, _ in self.model.grades})}
