"""The lifecycle engine: fit and engagement score, buying intent and lifecycle stage.

A pure core driven by ``mappings/scoring.toml``: no I/O, no clock (``now`` is passed in).
The caller loads the model once, then per contact::

    model = load_scoring(Path("mappings/scoring.toml"), portal_stages=options)
    if needs_rescore(model, state, latest_event_at=latest, now=now):
        a = evaluate(model, facts=facts, events=events, previous=state, now=now)
        store(a.state.to_dict(), [t.to_dict() for t in a.transitions])
        steps = plan_hubspot_stage_write(current, a.hubspot_stage, options)

``a.breakdown`` / ``a.to_json()``, ``render_table(a)`` and ``lead_profile(a)`` explain it.
"""

from syncd.lifecycle.engine import Assessment, evaluate, needs_rescore
from syncd.lifecycle.explain import lead_profile, render_table
from syncd.lifecycle.hubspot_write import plan_hubspot_stage_write
from syncd.lifecycle.model import (DEFAULT_HUBSPOT_STAGES, ScoringModel, load_scoring,
                                   parse_scoring, required_properties)
from syncd.lifecycle.state import ContactFacts, LifecycleState, Transition

__all__ = ["DEFAULT_HUBSPOT_STAGES", "Assessment", "ContactFacts", "LifecycleState",
           "ScoringModel", "Transition", "evaluate", "lead_profile", "load_scoring",
           "needs_rescore", "parse_scoring", "plan_hubspot_stage_write", "render_table",
           "required_properties"]
