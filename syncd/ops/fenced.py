"""A ``CrmGateway`` that confirms the writer lease before every write it sends.

The state store's fence refuses a stale writer's *commit*; this refuses its *write to
Salesforce* too: a replica paused past its lease (SIGSTOP, a long GC, a frozen VM) and
resumed re-confirms the lease (one small UPDATE) before each batch, finds it taken over and
stops, instead of sending a batch the new leader may be sending as well. Reads pass through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from syncd.models import WriteResult

__all__ = ["FencedGateway", "Renewable"]

WRITES = ("upsert", "update", "upsert_tasks")


class Renewable(Protocol):
    def renew(self) -> None:
        """Extend the hold, or raise ``LeaseLost`` if another replica took it over."""


class FencedGateway:
    """Wraps a gateway; every write method first calls ``guard.renew()``."""

    def __init__(self, inner: Any, guard: Renewable) -> None:
        self._inner, self._guard = inner, guard

    def upsert(self, object_name: str, external_id_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self._guard.renew()
        return self._inner.upsert(object_name, external_id_field, rows)

    def update(self, object_name: str, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self._guard.renew()
        return self._inner.update(object_name, rows)

    def upsert_tasks(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self._guard.renew()
        return self._inner.upsert_tasks(rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
