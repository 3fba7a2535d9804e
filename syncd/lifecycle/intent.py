"""Buying intent: passive (gave details, no immediate need) or active (asked to evaluate).

Active comes from an explicit hand-raise (a configured form, a meeting, a reply, a
"contact me" consent), from sales working the lead, or from recent engagement above a
threshold. It lapses to passive after a quiet period; the reason always says which
signal, which event, and when it lapses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from math import log2

from types import MappingProxyType
from typing import Any, NamedTuple

from syncd.lifecycle.scoring import EngagementTotals
from syncd.lifecycle.state import ymd
from syncd.models import EngagementEvent, EngagementKind

__all__ = ["IntentResult", "classify_intent", "intent_of"]


class IntentResult(NamedTuple):
    """The intent, why, the signal behind it and when it lapses without new activity."""

    intent: str
    reason: str
    signal: str | None = None
    event_id: str | None = None
    signal_at: datetime | None = None
    lapses_at: datetime | None = None
    evidence: Mapping[str, Any] = MappingProxyType({})


def _describe(ev: EngagementEvent) -> str:
    attrs = ev.attributes
    if ev.kind is EngagementKind.FORM_SUBMISSION:
        return f"form '{attrs.get('form_name') or attrs.get('form_id')}'"
    if ev.kind is EngagementKind.MEETING:
        return "meeting booked"
    if ev.kind is EngagementKind.EMAIL_REPLY:
        return "email reply"
    if ev.kind is EngagementKind.OFFLINE:
        return f"offline: {attrs.get('campaign') or attrs.get('source')} (asked for sales)"
    return f"{ev.kind.value} ({', '.join(f'{k}={v}' for k, v in attrs.items())})"


def _ts(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def passive_reason(cfg) -> str:
    """Why intent is passive, before naming a lapsed hand-raise (``cfg``: ``[intent]``)."""
    return f"no hand-raise, consent or engagement ≥ {cfg.active_score} in the last " \
           f"{cfg.active_window_days:g} days" if cfg.active_score is not None else \
           "no hand-raise or consent"


def classify_intent(model, *, facts, verdict: str | None, totals: EngagementTotals, previous,
                    now: datetime) -> IntentResult:
    """Decide intent from hand-raises, sales' verdict, consent and recent engagement."""
    return intent_of(model, facts, verdict, totals, previous, now,
                     _ts(totals.last_activity_ts), now.timestamp())


def intent_of(model, facts, verdict: str | None, totals: EngagementTotals, previous,
              now: datetime, last_act: datetime | None, now_ts: float) -> IntentResult:
    """``classify_intent`` given what ``evaluate`` has at hand: ``last_act`` is the newest
    activity among the events (``totals.last_activity_ts``), ``now_ts`` is ``now``'s."""
    if verdict is not None and verdict in model.keep_active_verdicts:
        return IntentResult("active", f"sales is working the lead (Lead Status "
                                      f"'{facts.lead_status}')", "sales_verdict",
                            evidence={"lead_status": facts.lead_status})
    quiet = model.lapse_after
    hand = totals.hand_raise
    if hand is not None:
        at = hand.occurred_at
        start = min(at, now)
        lapse = max(start, last_act or start) + quiet
        if now < lapse:
            return IntentResult("active", f"hand-raise: {_describe(hand)} (event {hand.id}) on "
                                          f"{ymd(at)}; lapses {ymd(lapse)} without new activity",
                                "hand_raise", hand.id, at, lapse,
                                evidence={"event_ids": [hand.id]})
    if model.consent:
        consent = _consent(model, facts)
        if consent is not None:
            since = previous.intent_since if previous and previous.intent == "active" \
                and previous.intent_since else now
            lapse = max(since, last_act or since) + quiet
            if now < lapse:
                prop, value = consent
                return IntentResult("active", f"asked to be contacted ({prop} = '{value}'); "
                                              f"lapses {ymd(lapse)} without new activity",
                                    "consent", None, since, lapse,
                                    evidence={"properties": {prop: value}})
    active_score = model.config.intent.active_score
    if active_score is not None and totals.recent >= active_score:
        return _score_active(model, totals, now_ts)
    if hand is not None:
        return IntentResult("passive", f"{model.passive_reason}; last hand-raise {hand.id} on "
                                       f"{ymd(hand.occurred_at)} lapsed")
    return IntentResult("passive", model.passive_reason)


def _consent(model, facts) -> tuple[str, str] | None:
    for prop, accepted in model.consent:
        value = facts.properties.get(prop)
        if value is not None and str(value).strip().casefold() in accepted:
            return prop, str(value)
    return None


def _score_active(model, totals: EngagementTotals, now_ts: float) -> IntentResult:
    """Active on engagement; it lapses when decay or the window drops it below the threshold
    (estimated with the fastest half-life, so the estimate is never late)."""
    cfg = model.config.intent
    candidates = []
    if totals.oldest_recent_ts is not None:
        candidates.append(totals.oldest_recent_ts + model.window_s)
    half = model.fastest_half_life
    if half != float("inf") and totals.recent > 0 and cfg.active_score > 0:
        candidates.append(now_ts + half * log2(totals.recent / cfg.active_score))
    lapse = _ts(min(candidates)) if candidates else None
    when = f"; re-checked by {ymd(lapse)}" if lapse else ""
    return IntentResult(intent="active", signal="engagement", lapses_at=lapse,
                        reason=f"engagement {totals.recent:.0f}{model.engaged_reason}{when}",
                        evidence={"recent_engagement": round(totals.recent, 1)})
