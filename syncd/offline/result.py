"""The value an import produces: one ``LineResult`` per data record, and the file's facts.

``ImportResult`` is pure data: the ``--check`` report is rendered from it, and the daemon
will take its imported records (and ``content_hash``, to recognise a file seen before)
without reading the file again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from syncd.offline.mapping import SourceMapping

__all__ = ["OUTCOMES", "ImportResult", "LineResult", "Match", "Outcome"]

Outcome = Literal["imported", "merged", "duplicate", "rejected", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("imported", "merged", "duplicate", "rejected", "skipped")


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """The existing person a record was merged into (or could be: review), and why."""

    existing_id: str
    decision: str
    probability: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LineResult:
    """``line``: where the record starts; ``column`` names the cell a reason is about."""

    line: int
    outcome: Outcome
    reason: str = ""
    column: str | None = None
    fields: dict = field(default_factory=dict)
    duplicate_of: int | None = None
    match: Match | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    file: str
    content_hash: str
    already_imported: bool | None
    encoding: str
    encoding_how: str
    delimiter: str | None
    sheet: str | None
    mapping: SourceMapping
    mapping_origin: str
    unmapped: tuple[str, ...]
    notes: tuple[str, ...]
    lines: tuple[LineResult, ...]

    def counts(self) -> dict[str, int]:
        """Records per outcome (every outcome listed, zeros included) and the total."""
        seen = Counter(line.outcome for line in self.lines)
        return {o: seen.get(o, 0) for o in OUTCOMES} | {"records": len(self.lines)}

    def records(self) -> list[LineResult]:
        """The records that become (or update) a person: imported and merged."""
        return [line for line in self.lines if line.outcome in ("imported", "merged")]
