"""Re-evaluate one contact from the state store and explain the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syncd.app import App
from syncd.lifecycle import Assessment, LifecycleState, evaluate, render_table
from syncd.models import HubSpotContact
from syncd.sync.lookup import look_up
from syncd.sync.qualify import facts_from

__all__ = ["Explanation", "explain_contact"]


@dataclass
class Explanation:
    contact_id: str
    assessment: Assessment
    history: list[dict[str, Any]]
    salesforce: dict[str, Any] | None
    follow_ups: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"contact_id": self.contact_id, "salesforce": self.salesforce,
                **self.assessment.to_json(), "stage_history": self.history, "follow_ups": self.follow_ups}

    def print(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        if self.salesforce:
            console.print(f"Salesforce: {self.salesforce['object']} {self.salesforce['id']}"
                          f" (matched by {self.salesforce['matched_by']})")
        console.print(render_table(self.assessment))
        table = Table(title="Stage history")
        for col in ("at", "from", "to", "rule", "reason"):
            table.add_column(col)
        for row in self.history:
            table.add_row(f"{row['at']:%Y-%m-%d %H:%M}", row["from_stage"] or "-", row["to_stage"],
                          row["rule"], row["reason"])
        console.print(table)
        if self.follow_ups:
            owners = Table(title="Owner assignments and follow-ups")
            for col in ("started", "owner", "rule", "why", "due", "status"):
                owners.add_column(col)
            for f in self.follow_ups:
                owners.add_row(f"{f['started_at']:%Y-%m-%d %H:%M}", f["owner_id"], f["rule"], f["reason"],
                               f"{f['due_at']:%Y-%m-%d %H:%M}", f["status"])
            console.print(owners)


def _resolve(app: App, key: str) -> str | None:
    if "@" in key:
        return app.store.find_contact_by_email(key)
    return key if app.store.contact(key) else None


def explain_contact(app: App, key: str, *, offline: bool = False) -> Explanation | None:
    hubspot_id = _resolve(app, key)
    row = app.store.contact(hubspot_id) if hubspot_id else None
    if row is None or row["archived"]:
        return None
    contact = HubSpotContact(id=hubspot_id, properties=row["properties"], updated_at=row["updated_at"])
    record, sf, opportunities = None, None, {}
    if not offline:
        (decision,), opportunities = look_up(
            app.salesforce, app.store, [contact],
            external_id_field=app.rules.external_id_field)
        record = decision.record
        if record is not None:
            sf = {"object": record.object, "id": record.id, "matched_by": decision.matched_by}
    previous = app.store.lifecycle_states([hubspot_id]).get(hubspot_id)
    assessment = evaluate(app.rules.model, facts=facts_from(contact, record, opportunities),
                          events=app.store.events_for([hubspot_id])[hubspot_id],
                          previous=LifecycleState.from_dict(previous) if previous else None,
                          now=app.clock.now())
    follow_ups = sorted((f for f in app.store.follow_up_stats() if f["hubspot_id"] == hubspot_id),
                        key=lambda f: f["seq"])
    return Explanation(contact_id=hubspot_id, assessment=assessment,
                       history=app.store.stage_history(hubspot_id), salesforce=sf, follow_ups=follow_ups)
