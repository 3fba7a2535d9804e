"""Load ``mappings/routing.toml`` into ``RoutingRules``: validated, every issue at once."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from syncd.errors import ConfigError, ConfigIssue
from syncd.issues import issues_from_validation, read_toml
from syncd.routing.schema import RoutingRules
from syncd.routing.validate import cross_check

__all__ = ["load_routing", "parse_routing"]

_MISSING_HINTS = {
    "owner": 'add an [owner] section with fallback = "queue:<queue name>" or "user:<email>"',
    "owner.fallback": 'add fallback = "queue:<queue name>" or "user:<email>": who gets a '
                      "lead no other rule places",
    "territories[].name": "give the territory a name; round-robin turns are kept per name",
    "territories[].segment[].property": "name the HubSpot property the condition tests",
}


def load_routing(path: Path, *, stage_keys: Collection[str] | None = None) -> RoutingRules:
    """Read and validate ``routing.toml``; raise ``ConfigError`` listing every problem.

    ``stage_keys`` are scoring.toml's stage keys; when given, ``[trigger] stages`` is
    checked against them.
    """
    path = Path(path)
    data, issues = read_toml(path, missing_hint="copy mappings/routing.toml from the syncd "
                                                "repository and edit it")
    if data is None:
        raise ConfigError(issues)
    return parse_routing(data, source=str(path), stage_keys=stage_keys)


def parse_routing(data: dict[str, Any], *, source: str = "routing.toml",
                  stage_keys: Collection[str] | None = None) -> RoutingRules:
    """Validate a parsed ``routing.toml``; raise ``ConfigError`` listing every problem."""
    issues = cross_check(data, file=source, stage_keys=stage_keys)
    rules = None
    try:
        rules = RoutingRules.model_validate(data)
    except ValidationError as exc:
        found = issues_from_validation(exc, file=source, model=RoutingRules)
        issues = [_with_hint(i) for i in found] + issues
    if issues or rules is None:
        raise ConfigError(issues)
    rules._source = source
    return rules


def _with_hint(issue: ConfigIssue) -> ConfigIssue:
    """A missing required key says what to write, not only "Field required"."""
    if issue.message != "Field required":
        return issue
    hint = _MISSING_HINTS.get(re.sub(r"\[\d+\]", "[]", issue.path))
    return dataclasses.replace(issue, message="missing key", hint=hint)
