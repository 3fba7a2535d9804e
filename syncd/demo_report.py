"""The demo's terminal report: what a RevOps person wants to see after a run."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from syncd.demo import DemoResult

__all__ = ["print_report"]

_ROWS = (("pulled", "Contacts pulled"), ("events", "New engagement events"),
         ("matched", "Matched to Salesforce"), ("created", "Created in Salesforce"),
         ("updated", "Updated in Salesforce"), ("unchanged", "Already up to date"),
         ("rejected", "Rejected by Salesforce"), ("review", "Sent to review"),
         ("skipped", "Skipped (no email)"), ("stage_moves", "Stage moves"),
         ("tasks_created", "Follow-up tasks created"), ("hubspot_updated", "HubSpot contacts updated"),
         ("changed_in_salesforce", "Re-read after changes in Salesforce"), ("sla_touched", "Follow-ups touched by sales"),
         ("sla_breached", "Follow-ups past their SLA"),
         ("offline_merged", "Offline records merged into a person"),
         ("offline_created", "Offline records: new people"),
         ("offline_review", "Offline records sent to review"),
         ("offline_held", "Offline records held (consent, no email)"),
         ("offline_duplicate", "Offline records: duplicates in a file"),
         ("offline_rejected", "Offline records rejected (unusable)"))


def print_report(result: DemoResult, *, seconds: float, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="syncd demo: cycles against the sandbox")
    table.add_column("")
    for cycle in result.cycles:
        table.add_column(f"Cycle {cycle['cycle']}", justify="right")
    for key, title in _ROWS:
        table.add_row(title, *(str(c.get(key, 0)) for c in result.cycles))
    for system in ("hubspot", "salesforce"):
        label = "HubSpot API calls" if system == "hubspot" else "Salesforce API calls"
        table.add_row(label, *(str(c.get("api_calls", {}).get(system, 0)) for c in result.cycles))
    table.add_row("Seconds", *(f"{c.get('seconds', 0):.1f}" for c in result.cycles))
    console.print(table)
    first = result.cycles[0]
    stages = Table(title="Lifecycle stage and buying intent after the first cycle")
    stages.add_column("Stage")
    stages.add_column("Contacts", justify="right")
    for stage, count in sorted(first.get("stages", {}).items(), key=lambda kv: -kv[1]):
        stages.add_row(str(stage), str(count))
    for intent, count in sorted(first.get("intents", {}).items()):
        stages.add_row(f"intent: {intent}", str(count))
    console.print(stages)
    if result.follow_ups:
        owners = Table(title="Follow-ups by owner (SLA state after the last cycle)")
        for col in ("Owner", "open", "touched", "breached", "escalated"):
            owners.add_column(col, justify="left" if col == "Owner" else "right")
        for name, states in result.follow_ups.items():
            owners.add_row(name, *(str(states.get(k, 0)) for k in ("open", "touched", "breached", "escalated")))
        console.print(owners)
    console.print(f"Salesforce records carrying a lifecycle stage from syncd: "
                  f"{result.salesforce_with_stage.get('Lead', 0)} Leads, "
                  f"{result.salesforce_with_stage.get('Contact', 0)} Contacts")
    console.print(f"Config: {result.config_path}\nState:  {result.workdir / 'state.db'}\n"
                  f"Logs:   {result.log_path} (JSON lines)\nDone in {seconds:.1f} s.")
