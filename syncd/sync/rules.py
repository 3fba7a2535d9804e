"""What the cycle's core is configured with: the field mapping and the scoring model.

The core never sees ``Settings`` (connections, secrets); the composition root hands it
these two, already validated.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncd.lifecycle import ScoringModel, required_properties
from syncd.mapping import FieldMapping

__all__ = ["SyncRules"]

CHUNK = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncRules:
    mapping: FieldMapping
    model: ScoringModel
    chunk_size: int = CHUNK

    @property
    def external_id_field(self) -> str:
        return self.mapping.salesforce.external_id_field

    def hubspot_properties(self) -> list[str]:
        """Every contact property a cycle reads: the mapped ones, those the scoring model
        reads, and HubSpot's lead status (the verdict before a Salesforce record exists)."""
        return sorted(self.mapping.hubspot_properties() | required_properties(self.model)
                      | {"hs_lead_status"})

    def written_values(self) -> dict[str, list[str]]:
        """Every value syncd may write into the computed picklist fields."""
        return {"stage": sorted({d.salesforce for d in self.model.stage_defs.values()}),
                "intent": ["active", "passive"],
                "grade": sorted({g for g, _ in self.model.grades})}
