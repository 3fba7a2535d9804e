"""The state store: cursors, local contact snapshot, engagement, id map, what was written."""

from syncd.store.store import StateStore, open_store

__all__ = ["StateStore", "open_store"]
