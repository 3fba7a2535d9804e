"""The report as a terminal summary (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from syncd.report.model import Report
from syncd.report.text import kpis, pct, when

__all__ = ["print_report"]

_SHORT = {"created": "new", "updated": "upd", "unchanged": "same", "rejected": "rej",
          "review": "rev", "skipped": "skip", "retrying": "retry"}


def _table(title: str, head: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, h in enumerate(head):
        table.add_column(h, justify="right" if i else "left")
    for row in rows:
        table.add_row(*row)
    return table


def print_report(report: Report, console: Console | None = None) -> None:
    console = console or Console()
    window = f"since {when(report.since)}" if report.since else "all runs"
    console.print(f"[bold]syncd: sync health and funnel[/bold] ({window})")
    console.print("   ".join(f"{k}: [bold]{v}[/bold]" for k, v in kpis(report)))
    recent = report.runs[-10:]
    console.print(_table(f"Last {len(recent)} of {len(report.runs)} runs",
                         ("started (UTC)", "status", *_SHORT.values(), "s"),
                         [(f"{r.started_at:%m-%d %H:%M:%S}", r.status,
                           *(str(r.outcomes[k]) for k in _SHORT), f"{r.seconds:.0f}") for r in recent]))
    console.print(_table("Records by outcome", ("outcome", "records"),
                         [(k, str(v)) for k, v in report.outcomes.items()]))
    console.print(_table("Top rejection reasons", ("code", "rows", "reason", "examples"),
                         [(r.code, str(r.count), r.reason, ", ".join(r.examples)) for r in report.rejects]))
    console.print(_table(f"Review queue: {report.review.size} (oldest {when(report.review.oldest)})",
                         ("reason", "contacts"), [(k, str(v)) for k, v in report.review.reasons.items()]))
    console.print(_table("API budget", ("system", "calls", "left after last cycle"),
                         [(s, str(report.api_calls.get(s, 0)), str(report.budget_left.get(s, "n/a")))
                          for s in ("hubspot", "salesforce")]))
    _print_funnel(report, console)


def _print_funnel(report: Report, console: Console) -> None:
    f = report.funnel
    console.print(_table("Funnel (reached the stage or a later one)", ("stage", "reached", "passive", "active"),
                         [(s.label, str(s.reached), str(s.passive), str(s.active)) for s in f.stages]))
    console.print(f"MQL → SQL: {pct(f.mql_to_sql)} of {f.mql_count} new MQLs; off the ladder: "
                  + (", ".join(f"{k} {v}" for k, v in f.off_ladder.items()) or "none"))
    for note in f.notes:
        console.print(f"[dim]{note}[/dim]")
