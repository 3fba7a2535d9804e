"""Charts as inline SVG: no script, no web font, no network — a page that works offline.

Every bar is a ``rect.mark`` carrying ``data-value``, so a test can tell that a chart drew
its data; a chart with nothing to draw says so in words instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "Series", "empty", "hbars", "stacked_columns"]

PALETTE = {"created": "#2e7d32", "updated": "#1565c0", "unchanged": "#90a4ae",
           "rejected": "#c62828", "review": "#ef6c00", "skipped": "#6d4c41",
           "retrying": "#8e24aa", "hubspot": "#ff7a59", "salesforce": "#00a1e0",
           "passive": "#9fa8da", "active": "#283593", "bar": "#455a64"}

Series = Sequence[str]
WIDTH = 760
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(height: int, body: str, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
            f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" {_FONT}>{body}</svg>')


def _rect(x: float, y: float, w: float, h: float, color: str, tip: str, value: float) -> str:
    return (f'<rect class="mark" data-value="{value:g}" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
            f'height="{max(h, 0):.1f}" fill="{color}"><title>{escape(tip)}</title></rect>')


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(text)}</text>'


def empty(message: str) -> str:
    """A chart-sized note for a chart without data."""
    return _svg(40, _text(8, 24, message, extra='fill="#555"'), message)


def _legend(series: Series, y: float) -> str:
    out, x = [], 8.0
    for name in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="10" height="10" fill="{PALETTE.get(name, "#777")}"/>')
        out.append(_text(x + 14, y, name))
        x += 24 + 7 * len(name)
    return "".join(out)


def hbars(items: Sequence[tuple[str, Mapping[str, float]]], series: Series, *, label: str,
          legend: bool = True) -> str:
    """Horizontal bars, one per item, each stacked by ``series``; values printed at the end."""
    rows = [(name, values) for name, values in items]
    if not rows or not any(sum(v.values()) for _, v in rows):
        return empty(f"{label}: nothing to show yet")
    top = max(sum(v.get(s, 0) for s in series) for _, v in rows) or 1
    left, bar, gap = 220, 20, 8
    scale = (WIDTH - left - 70) / top
    keyed = legend and len(series) > 1
    parts = [_legend(series, 14)] if keyed else []
    y = 26.0 if keyed else 4.0
    for name, values in rows:
        parts.append(_text(left - 8, y + 14, name[:34], "end"))
        x = float(left)
        for s in series:
            v = float(values.get(s, 0))
            if v:
                parts.append(_rect(x, y, v * scale, bar, PALETTE.get(s, PALETTE["bar"]), f"{name} {s}: {v:g}", v))
                x += v * scale
        parts.append(_text(x + 6, y + 14, f"{sum(values.get(s, 0) for s in series):g}"))
        y += bar + gap
    return _svg(int(y + 4), "".join(parts), label)


def stacked_columns(columns: Sequence[tuple[str, Mapping[str, float]]], series: Series, *,
                    label: str) -> str:
    """One column per entry (e.g. per run, oldest left), stacked by ``series``."""
    if not columns or not any(sum(v.values()) for _, v in columns):
        return empty(f"{label}: nothing to show yet")
    height, top_pad, bottom, left = 260, 26, 40, 50
    top = max(sum(v.get(s, 0) for s in series) for _, v in columns) or 1
    plot_h = height - top_pad - bottom
    step = (WIDTH - left - 10) / len(columns)
    width = max(min(step * 0.7, 40), 2)
    parts = [_legend(series, 14), _text(left - 6, top_pad + 10, f"{top:g}", "end"),
             _text(left - 6, top_pad + plot_h, "0", "end"),
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - 10}" y2="{top_pad + plot_h}" stroke="#999"/>']
    for i, (name, values) in enumerate(columns):
        x, y = left + i * step + (step - width) / 2, float(top_pad + plot_h)
        for s in series:
            v = float(values.get(s, 0))
            if v:
                h = v / top * plot_h
                y -= h
                parts.append(_rect(x, y, width, h, PALETTE.get(s, PALETTE["bar"]), f"{name} {s}: {v:g}", v))
        if len(columns) <= 12 or i % max(len(columns) // 12, 1) == 0:
            parts.append(_text(x + width / 2, height - bottom + 16, name, "middle", 'font-size="10"'))
    return _svg(height, "".join(parts), label)
