"""The per-cycle counts RevOps reads in the ``cycle.completed`` log line and the demo table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CycleSummary"]


@dataclass(kw_only=True)
class CycleSummary:
    run_id: str
    pulled: int = 0
    events: int = 0
    matched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    review: int = 0
    skipped: int = 0
    retrying: int = 0
    stage_moves: int = 0
    merged: int = 0
    deleted: int = 0
    reviewed: int = 0  # re-scored because time alone (decay, intent lapse) may change them
    stages: Counter = field(default_factory=Counter)
    intents: Counter = field(default_factory=Counter)
    api_calls: dict[str, int] = field(default_factory=dict)
    api_calls_by_endpoint: dict[str, dict[str, int]] = field(default_factory=dict)
    budget_left: dict[str, int | None] = field(default_factory=dict)
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step and of the chunks
    other: Counter = field(default_factory=Counter)  # counts of stages added later

    def absorb(self, tally: Any) -> None:
        """Add a chunk's tally (``syncd.sync.stages.Tally``)."""
        for name, value in tally.counts.items():
            if isinstance(getattr(self, name, None), int):
                setattr(self, name, getattr(self, name) + value)
            else:
                self.other[name] += value
        self.stages.update(tally.stages)
        self.intents.update(tally.intents)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["stages"] = dict(sorted(self.stages.items()))
        out["intents"] = dict(sorted(self.intents.items()))
        other = out.pop("other")
        out.update(sorted(other.items()))
        return out
