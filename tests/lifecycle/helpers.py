"""Small builders for lifecycle tests: a compact scoring model, events and facts."""

from __future__ import annotations

import copy
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from syncd.lifecycle import ContactFacts, load_scoring, parse_scoring
from syncd.models import EngagementEvent, EngagementKind

REPO = Path(__file__).resolve().parents[2]
SCORING = REPO / "mappings" / "scoring.toml"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def default_data() -> dict[str, Any]:
    """The shipped scoring.toml as a dict (a fresh copy each call)."""
    return tomllib.loads(SCORING.read_text(encoding="utf-8"))


def default_model():
    return load_scoring(SCORING)


def model_with(**changes: Any):
    """The default model with top-level sections replaced or merged (dicts merge one level)."""
    data = default_data()
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **copy.deepcopy(value)}
        else:
            data[key] = copy.deepcopy(value)
    return parse_scoring(data)


def small_data() -> dict[str, Any]:
    """A tiny model: one fit group capped at 30, one engagement group halving weekly."""
    return {
        "fit": {"groups": {"g": {"cap": 30, "floor": -10}},
                "rules": [], "grades": {"A": 30, "B": 20, "C": 10}},
        "engagement": {"groups": {"web": {"half_life_days": 7, "cap": 50},
                                  "hr": {"window_days": 10},
                                  "neg": {"floor": -30}},
                       "rules": []},
        "intent": {"hand_raise_forms": ["Demo request", "form-guid-1"],
                   "hand_raise_kinds": ["meeting"], "active_score": 30,
                   "active_window_days": 30, "lapse_after_days": 20},
        "lead_status": {"Working - Contacted": "working"},
        "stages": {"initial": "subscriber", "ladder": ["subscriber", "lead"],
                   "defs": {"subscriber": {"rank": 0, "hubspot": "subscriber",
                                           "salesforce": "Subscriber"},
                            "lead": {"rank": 1, "hubspot": "lead", "salesforce": "Lead"}},
                   "rules": []},
    }


def small_model(fit_rules=(), eng_rules=(), **intent: Any):
    data = small_data()
    data["fit"]["rules"] = list(fit_rules)
    data["engagement"]["rules"] = list(eng_rules)
    data["intent"].update(intent)
    return parse_scoring(data)


_seq = iter(range(10**9))


def ev(kind: str | EngagementKind, days_ago: float, contact: str = "c1", id: str | None = None,
       **attrs: Any) -> EngagementEvent:
    """An event ``days_ago`` days before ``NOW``."""
    return EngagementEvent(id=id or f"ev:{next(_seq)}", contact_id=contact,
                           kind=EngagementKind(kind), occurred_at=NOW - days_ago * DAY,
                           attributes=attrs)


def facts(contact: str = "c1", **kw: Any) -> ContactFacts:
    props = kw.pop("properties", {})
    return ContactFacts(contact_id=contact, properties=props, **kw)
