"""Why a contact has its score, intent and stage: a breakdown and its renderers."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table

from syncd.lifecycle.compile import DAY
from syncd.lifecycle.scoring import clamp, engagement_totals, fit_totals

__all__ = ["build_breakdown", "lead_profile", "render_table"]


def _groups(defs: tuple, raw: tuple | list, cap_at: int, floor_at: int) -> list[dict]:
    out = []
    for g, value in zip(defs, raw):
        capped = clamp(value, g[floor_at], g[cap_at])
        out.append({"group": g[0], "raw": round(value, 2), "points": round(capped, 2),
                    "cap_applied": capped != value, "cap": g[cap_at], "floor": g[floor_at]})
    return out


def _rule_text(name: str, ev) -> str:
    """The rule's name; an offline touch also names its source, so a profile says where."""
    if ev.kind.value == "offline" and (where := ev.attributes.get("campaign") or ev.attributes.get("source")):
        return f"{name}: {where}"
    return name


def build_breakdown(a) -> dict[str, Any]:
    """Re-run the scoring with detail on; return a JSON-able explanation of ``a``."""
    model, fit_rows, eng_rows = a.model, [], []
    _, fit_raw = fit_totals(model, a.facts.properties, fit_rows)
    window = model.config.intent.active_window_days * DAY
    totals = engagement_totals(model, a.events, a.now.timestamp(), window, eng_rows)
    rules, fit_rules = model.config.engagement.rules, model.config.fit.rules
    events = [{"event_id": ev.id, "kind": ev.kind.value, "at": ev.occurred_at.isoformat(),
               "rule": _rule_text(rules[ri].name, ev), "group": group, "points": points,
               "decay_factor": round(factor, 4), "contribution": round(value, 2)}
              for ev, ri, group, points, factor, value in eng_rows]
    events.sort(key=lambda e: (-abs(e["contribution"]), e["at"], e["event_id"]))
    return {
        "contact_id": a.facts.contact_id, "at": a.now.isoformat(), "model_version": model.version,
        "score": a.score, "fit_score": a.fit_score, "engagement_score": a.engagement_score,
        "grade": a.grade,
        "fit": {"rules": [{"rule": fit_rules[ri].name, "group": model.fit_groups[gi][0],
                           "property": p, "value": v, "points": pts}
                          for ri, gi, p, v, pts in fit_rows],
                "groups": _groups(model.fit_groups, fit_raw, 1, 2)},
        "engagement": {"events": events, "groups": _groups(model.eng_groups, totals.raw, 3, 4),
                       "recent_score": round(totals.recent, 2)},
        "intent": {"intent": a.intent, "reason": a.intent_reason,
                   "signal": a.intent_detail.signal, "event_id": a.intent_detail.event_id,
                   "lapses_at": _iso(a.intent_detail.lapses_at)},
        "stage": {"stage": a.stage, "hubspot": a.hubspot_stage, "salesforce": a.salesforce_stage,
                  "since": a.state.since.isoformat(), "lead_status": a.facts.lead_status,
                  "verdict": a.verdict},
        "transitions": [t.to_dict() for t in a.transitions],
        "last_activity_at": _iso(a.state.last_activity_at),
        "next_review_at": _iso(a.next_review_at), "warnings": list(a.warnings),
    }


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def render_table(a) -> Group:
    """A rich renderable for the terminal: ``Console().print(render_table(a))``."""
    b = a.breakdown
    head = Table(title=f"Contact {b['contact_id']}: score {b['score']:g} "
                       f"(fit {b['fit_score']:g}, engagement {b['engagement_score']:g}), "
                       f"grade {b['grade'] or '-'}", show_header=False)
    head.add_row("Intent", f"{b['intent']['intent']}: {b['intent']['reason']}")
    stage = b["stage"]
    head.add_row("Stage", f"{stage['stage']} (HubSpot {stage['hubspot']}, Salesforce "
                          f"{stage['salesforce']}) since {stage['since'][:10]}")
    head.add_row("Next review", (b["next_review_at"] or "-")[:16])
    for warning in b["warnings"]:
        head.add_row("Warning", warning)
    fit = Table("Fit rule", "Group", "Property", "Value", "Points", title="Fit")
    for r in b["fit"]["rules"]:
        fit.add_row(r["rule"], r["group"], r["property"], str(r["value"]), f"{r['points']:g}")
    for g in b["fit"]["groups"]:
        fit.add_row(f"= {g['group']}", "", "", "cap applied" if g["cap_applied"] else "",
                    f"{g['points']:g}")
    eng = Table("Event", "Kind", "Date", "Rule", "Points", "Decay", "Counts", title="Engagement")
    for e in b["engagement"]["events"]:
        eng.add_row(e["event_id"], e["kind"], e["at"][:10], e["rule"], f"{e['points']:g}",
                    f"{e['decay_factor']:.2f}", f"{e['contribution']:.1f}")
    for g in b["engagement"]["groups"]:
        eng.add_row(f"= {g['group']}", "", "", "cap applied" if g["cap_applied"] else "",
                    "", "", f"{g['points']:.1f}")
    moves = Table("From", "To", "Rule", "Reason", title="Stage transitions")
    for t in b["transitions"]:
        moves.add_row(t["from_stage"] or "-", t["to_stage"], t["rule"], t["reason"])
    return Group(head, fit, eng, moves)


def lead_profile(a, max_chars: int | None = None) -> str:
    """A plain-text profile for Salesforce ``Lead_Profile__c``, at most ``max_chars``
    (default: ``model.profile_max_chars``): score, grade, intent and why, top signals,
    last activity. Lines that do not fit are dropped whole, never cut mid-word."""
    limit = max_chars or a.model.config.model.profile_max_chars
    if "breakdown" in vars(a):  # already explained: read it from there
        b = a.breakdown
        head = (b["score"], b["fit_score"], b["engagement_score"], b["grade"], b["intent"]["intent"],
                b["intent"]["reason"], b["stage"]["salesforce"], b["last_activity_at"])
        signals = [(e["contribution"], e["at"], e["event_id"], e["rule"]) for e in b["engagement"]["events"]]
        fit_rules = [(r["rule"], r["points"], r["property"]) for r in b["fit"]["rules"]]
    else:
        head = (a.score, a.fit_score, a.engagement_score, a.grade, a.intent, a.intent_reason,
                a.salesforce_stage, _iso(a.state.last_activity_at))
        signals, fit_rules = _signals(a)
    score, fit, engagement, grade, intent, reason, stage, last_activity = head
    lines = [f"Score {score:g} (fit {fit:g}, engagement {engagement:g}), grade {grade or '-'}",
             f"Intent: {intent} - {reason}",
             f"Stage: {stage}",
             f"Last activity: {(last_activity or 'none')[:10]}"]
    # Ordered by the points as shown, then time and id: signals whose points print the same
    # keep their order from cycle to cycle (decay moves the decimals), so the profile only
    # changes when what it says changes.
    top = sorted((s for s in signals if s[0] >= 0.5), key=lambda s: (-round(s[0]), s[1], s[2]))[:5]
    if top:
        lines.append("Top signals:")
        lines += [f"- {at[:10]} {rule} (+{contribution:.0f})" for contribution, at, _, rule in top]
    fits = sorted(fit_rules, key=lambda r: (-abs(r[1]), r[0], str(r[2])))[:3]
    if fits:
        lines.append("Fit: " + "; ".join(f"{rule} ({points:+g})" for rule, points, _ in fits))
    out = ""
    for line in lines:
        candidate = f"{out}\n{line}" if out else line
        if len(candidate) > limit:
            break
        out = candidate
    return out or lines[0][: max(limit - 1, 0)] + "…"


def _signals(a) -> tuple[list[tuple], list[tuple]]:
    """What the profile shows of the breakdown, without building the rest of it: per
    scored event (contribution as the breakdown rounds it, time, id, rule), per matched fit
    rule (name, points, property)."""
    model = a.model
    if a.rows is not None:  # kept by the evaluation itself
        fit_rows, eng_rows = a.rows
    else:
        fit_rows, eng_rows = [], []
        fit_totals(model, a.facts.properties, fit_rows)
        engagement_totals(model, a.events, a.now.timestamp(), model.config.intent.active_window_days * DAY,
                          eng_rows)
    rules, fit_rules = model.config.engagement.rules, model.config.fit.rules
    signals = [(c, ev.occurred_at.isoformat(), ev.id, _rule_text(rules[ri].name, ev))
               for ev, ri, _, _, _, value in eng_rows if (c := round(value, 2)) >= 0.5]
    return signals, [(fit_rules[ri].name, pts, p) for ri, _, p, _, pts in fit_rows]
