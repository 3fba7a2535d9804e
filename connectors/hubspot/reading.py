"""What stream readers share: the record type they yield and the per-pull context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from syncd.models import EngagementEvent

from .resolver import EmailResolver
from .settings import HubSpotClientSettings
from .transport import HubSpotApi

__all__ = ["Item", "Pages", "Reader"]


@dataclass(frozen=True, slots=True)
class Item:
    """One native record read: its id, cursor time (epoch ms) and the events it yields."""

    key: str
    ms: int
    events: list[EngagementEvent]


@dataclass
class Reader:
    """What readers share in one pull: the API, settings, the email map, skip counts."""

    api: HubSpotApi
    settings: HubSpotClientSettings
    resolver: EmailResolver
    skipped: dict[str, int] = field(default_factory=dict)
    # Whether (native id, cursor ms) is not emitted yet: readers skip lookups and
    # association reads for records the stream's cursor already holds.
    is_new: Callable[[str, int], bool] = lambda key, ms: True

    def keep(self, result: tuple[EngagementEvent | None, str]) -> list[EngagementEvent]:
        event, reason = result
        if event is None:
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            return []
        return [event]


Pages = Iterator[list[Item]]
