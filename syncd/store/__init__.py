"""The state store: cursors, local contact snapshot, engagement, id map, what was written."""

from syncd.store.store import SqlStateStore, open_store

__all__ = ["SqlStateStore", "open_store"]
