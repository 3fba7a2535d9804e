"""Load ``scoring.toml`` into a ``ScoringModel``: validated, every issue at once, precompiled."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from syncd.errors import ConfigError
from syncd.issues import issues_from_validation, read_toml
from syncd.lifecycle.compile import (DAY, compile_engagement, compile_fit, compile_fit_plan,
                                     fingerprint)
from syncd.lifecycle.schema import ScoringFile, StageDef
from syncd.lifecycle.validate import cross_check
from syncd.models import EngagementKind

__all__ = ["DEFAULT_HUBSPOT_STAGES", "ScoringModel", "load_scoring", "parse_scoring",
           "required_properties"]

DEFAULT_HUBSPOT_STAGES = ("subscriber", "lead", "marketingqualifiedlead",
                          "salesqualifiedlead", "opportunity", "customer", "evangelist", "other")


@dataclass(frozen=True, kw_only=True, eq=False)
class ScoringModel:
    """A validated, precompiled scoring model. Build it with ``load_scoring``."""

    config: ScoringFile
    source: str
    version: str
    fit_groups: tuple
    fit_rules: tuple
    fit_plan: tuple
    fit_limits: tuple
    eng_groups: tuple
    eng_by_kind: Mapping[EngagementKind, tuple]
    eng_limits: tuple
    hand_raise_forms: frozenset[str]
    hand_raise_attrs: tuple[tuple[str, frozenset[str]], ...]
    hand_raise_keys: tuple[str, ...]
    consent: tuple[tuple[str, frozenset[str]], ...]
    verdicts: Mapping[str, str]
    stage_defs: Mapping[str, StageDef]
    ranks: Mapping[str, int]
    ladder: frozenset[str]
    stage_rules: tuple
    rules_from: Mapping[str, tuple]
    stage_plans: dict                    # filled by stages.stage_plan as contacts need them
    stage_of_hubspot: Mapping[str, str]
    grades: tuple[tuple[str, float], ...]
    # Read per evaluation, so computed once here.
    window_s: float                      # [intent] active_window_days in seconds
    lapse_after: timedelta               # [intent] lapse_after_days
    review_after: timedelta              # [model] review_every_days
    keep_active_verdicts: frozenset[str]
    fastest_half_life: float             # seconds; inf when nothing decays
    passive_reason: str
    engaged_reason: str                  # " in the last N days ≥ S" of an engagement reason
    inactivity_after: Mapping[str, timedelta | None]  # per stage: its soonest inactivity rule
    initial_stage: str
    initial_from_property: str | None

    def verdict_of(self, lead_status: str | None) -> str | None:
        """The verdict a Salesforce Lead Status maps to (case-insensitive), or None."""
        return None if lead_status is None else self.verdicts.get(lead_status.strip().casefold())


def _build(config: ScoringFile, source: str) -> ScoringModel:
    from syncd.lifecycle.intent import passive_reason
    from syncd.lifecycle.stages import compile_stage_rules, inactivity_after, rules_by_stage

    fit_groups, fit_rules = compile_fit(config)
    eng_groups, by_kind = compile_engagement(config)
    intent, stages = config.intent, config.stages
    ranks = {n: d.rank for n, d in stages.defs.items()}
    stage_rules = compile_stage_rules(config)
    rules_from = rules_by_stage(stage_rules, ranks, frozenset(stages.ladder))
    fold = lambda values: frozenset(v.casefold() for v in values)  # noqa: E731
    lives = [g[5] for g in eng_groups if g[5]]
    return ScoringModel(
        config=config, source=source, version=fingerprint(config),
        fit_groups=fit_groups, fit_rules=fit_rules, fit_plan=compile_fit_plan(fit_rules),
        fit_limits=tuple((cap, floor) for _, cap, floor in fit_groups),
        eng_groups=eng_groups, eng_by_kind=by_kind,
        eng_limits=tuple((g[3], g[4]) for g in eng_groups),
        hand_raise_forms=fold(intent.hand_raise_forms),
        hand_raise_attrs=tuple((k, fold(v)) for k, v in intent.hand_raise_attributes.items()),
        hand_raise_keys=tuple(intent.hand_raise_attributes),
        consent=tuple((k, fold(v)) for k, v in intent.consent_properties.items()),
        verdicts={k.strip().casefold(): v for k, v in config.lead_status.items()},
        stage_defs=dict(stages.defs), ranks=ranks, ladder=frozenset(stages.ladder),
        stage_rules=stage_rules,
        rules_from=rules_from, stage_plans={}, stage_of_hubspot=_stage_of_hubspot(config),
        grades=tuple(sorted(config.fit.grades.items(), key=lambda g: -g[1])),
        window_s=intent.active_window_days * DAY,
        lapse_after=timedelta(days=intent.lapse_after_days),
        review_after=timedelta(days=config.model.review_every_days),
        keep_active_verdicts=frozenset(intent.keep_active_verdicts),
        fastest_half_life=min(lives) if lives else math.inf,
        passive_reason=passive_reason(intent),
        engaged_reason="" if intent.active_score is None else
        f" in the last {intent.active_window_days:g} days ≥ {intent.active_score:g}",
        inactivity_after={stage: inactivity_after(rules) for stage, rules in rules_from.items()},
        initial_stage=stages.initial, initial_from_property=stages.initial_from_property)


def _stage_of_hubspot(config: ScoringFile) -> dict[str, str]:
    """HubSpot value -> internal stage; where several share a value, the lowest ladder stage
    wins (e.g. "lead" reads as lead, not recycled)."""
    ladder = set(config.stages.ladder)
    out: dict[str, str] = {}
    for name, d in sorted(config.stages.defs.items(), key=lambda i: (i[0] not in ladder,
                                                                     i[1].rank, i[0])):
        out.setdefault(d.hubspot, name)
    return out


def parse_scoring(data: dict[str, Any], *, source: str = "scoring.toml",
                  portal_stages: Sequence[str] | None = None) -> ScoringModel:
    """Validate a parsed ``scoring.toml``; raise ``ConfigError`` listing every problem."""
    issues = cross_check(data, file=source,
                         portal_stages=None if portal_stages is None else list(portal_stages))
    config = None
    try:
        config = ScoringFile.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_validation(exc, file=source, model=ScoringFile) + issues
    if issues or config is None:
        raise ConfigError(issues)
    return _build(config, source)


def load_scoring(path: Path, *, portal_stages: Sequence[str] | None = None) -> ScoringModel:
    """Read and validate ``scoring.toml``; ``portal_stages`` are the portal's lifecyclestage
    options (checked when given). Raises ``ConfigError`` with every issue found."""
    path = Path(path)
    data, issues = read_toml(path, missing_hint="copy mappings/scoring.toml from the syncd "
                                                "repository and edit it")
    if data is None:
        raise ConfigError(issues)
    return parse_scoring(data, source=str(path), portal_stages=portal_stages)


def required_properties(model: ScoringModel) -> frozenset[str]:
    """The contact properties the rules read; the pull fetches only these (plus mapped ones)."""
    props = {prop for prop, _ in model.fit_rules}
    props.update(name for name, _ in model.consent)
    if model.config.stages.initial_from_property:
        props.add(model.config.stages.initial_from_property)
    return frozenset(props)
