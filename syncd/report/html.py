"""The report as one self-contained HTML page: inline CSS, inline SVG charts, no network.

A few lines of inline script mark each chart ``data-rendered`` once the browser has laid it
out with a visible size and drawn its bars, and sum it up on ``<body data-charts=...>``; the
page reads the same without script.
"""

from __future__ import annotations

from html import escape

from syncd.report.model import OUTCOMES, Report
from syncd.report.svg import hbars, stacked_columns
from syncd.report.text import kpis, pct, when

__all__ = ["render_html"]

_CSS = """body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:820px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}figure{margin:8px 0 18px}
figcaption{color:#555;font-size:12px}table{border-collapse:collapse;font-size:13px}
td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{border:1px solid #ddd;border-radius:6px;
padding:8px 12px;min-width:120px}.kpi b{display:block;font-size:20px}.note{color:#555;font-size:12px}"""

_SCRIPT = """(function(){var figs=document.querySelectorAll('figure.chart'),ok=0;
figs.forEach(function(f){var s=f.querySelector('svg'),r=s&&s.getBoundingClientRect();
var marks=f.querySelectorAll('rect.mark'),drawn=0;marks.forEach(function(m){var b=m.getBBox();
if(b.width>0&&b.height>0)drawn++;});var good=r&&r.width>0&&r.height>0&&
(f.dataset.empty==='yes'||drawn>0&&drawn===marks.length);f.dataset.rendered=good?'yes':'no';
f.dataset.marks=String(drawn);if(good)ok++;});document.body.dataset.charts=ok+'/'+figs.length;})();"""


def _figure(name: str, svg: str, caption: str) -> str:
    empty = "yes" if 'class="mark"' not in svg else "no"
    return (f'<figure class="chart" data-chart="{name}" data-empty="{empty}">{svg}'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    if not rows:
        return '<p class="note">none</p>'
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def _sections(report: Report) -> list[str]:
    runs = [(f"{r.started_at:%m-%d %H:%M:%S}", r.outcomes) for r in report.runs]
    api = [(f"{r.started_at:%m-%d %H:%M:%S}", r.api_calls) for r in report.runs]
    funnel = report.funnel
    return [
        "<h2>Runs over time</h2>",
        _figure("runs", stacked_columns(runs, OUTCOMES, label="Records per run by outcome"),
                "Each column is one cycle, oldest left; failed cycles have no counts."),
        "<h2>Records by outcome</h2>",
        _figure("outcomes", hbars([(k, {k: v}) for k, v in report.outcomes.items()], OUTCOMES,
                                  label="Records by outcome", legend=False),
                "Summed over the cycles in the window."),
        "<h2>Top rejection reasons</h2>",
        _figure("rejects", hbars([(r.code, {"rejected": r.count}) for r in report.rejects], ("rejected",),
                                 label="Rejections by code"),
                "Rows refused by Salesforce, or skipped by syncd (NO_EMAIL), by code."),
        _table(("code", "rows", "reason", "examples"),
               [(r.code, str(r.count), r.reason, ", ".join(r.examples)) for r in report.rejects]),
        "<h2>Review queue</h2>",
        _table(("reason", "contacts"), [(k, str(v)) for k, v in report.review.reasons.items()]),
        f'<p class="note">{report.review.size} waiting; oldest since {when(report.review.oldest)}; '
        f'e.g. {escape(", ".join(report.review.examples) or "none")}</p>',
        "<h2>API budget use</h2>",
        _figure("api", stacked_columns(api, ("hubspot", "salesforce"), label="API calls per run"),
                "Calls per cycle and system."),
        _table(("system", "calls in window", "budget left after the last cycle"),
               [(s, str(report.api_calls.get(s, 0)), str(report.budget_left.get(s, "n/a")))
                for s in ("hubspot", "salesforce")]),
        "<h2>Funnel</h2>",
        _figure("funnel", hbars([(s.label, {"passive": s.passive, "active": s.active}) for s in funnel.stages],
                                ("passive", "active"), label="Contacts that reached each stage"),
                "Contacts that reached each stage or a later one, by buying intent today."),
        _table(("measure", "value"), [
            ("MQL → SQL conversion", f"{pct(funnel.mql_to_sql)} of {funnel.mql_count} new MQLs"),
            ("Time from active to first sales touch", "n/a" if funnel.active_to_first_touch_hours is None
             else f"{funnel.active_to_first_touch_hours:.1f} h"),
            ("Followed up within the SLA", pct(funnel.followed_up_within_sla)),
            *((f"off the ladder: {k}", str(v)) for k, v in funnel.off_ladder.items())]),
        *(f'<p class="note">{escape(n)}</p>' for n in funnel.notes),
    ]


def render_html(report: Report) -> str:
    """The whole page as a string."""
    tiles = "".join(f'<div class="kpi"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in kpis(report))
    window = f"since {when(report.since)}" if report.since else "all runs"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>syncd report</title>'
            f"<style>{_CSS}</style></head><body><h1>syncd: sync health and funnel</h1>"
            f'<p class="note">Generated {when(report.generated_at)}, {escape(window)}. Ids only: '
            f"no names, emails or phone numbers.</p><div class=\"kpis\">{tiles}</div>"
            + "".join(_sections(report)) + f"<script>{_SCRIPT}</script></body></html>")
