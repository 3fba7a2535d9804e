"""What the engine decides for each incoming record, and the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Decision", "DecisionKind", "Evidence"]

DecisionKind = Literal["merge", "review", "create", "duplicate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """How one field compared: ``level`` in words, ``weight`` in bits (log2 Bayes factor;
    positive speaks for the same person, negative against)."""

    field: str
    level: str
    weight: float

    def text(self) -> str:
        return f"{self.field}: {self.level} ({self.weight:+.1f})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """``merge`` into ``existing_id``; ``review`` by a person (``candidates``); ``create`` a
    new person; ``duplicate`` of an earlier incoming record (``duplicate_of``)."""

    incoming_id: str
    decision: DecisionKind
    existing_id: str | None = None
    match_probability: float | None = None
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""
    candidates: tuple[str, ...] = ()
    duplicate_of: str | None = None

    def evidence_text(self) -> str:
        """One line: the reason, then each field's level and weight."""
        parts = [self.reason] if self.reason else []
        parts += [e.text() for e in self.evidence]
        return "; ".join(parts)
