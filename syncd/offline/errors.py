"""Why a whole file is refused: one line, no traceback."""

from __future__ import annotations

from syncd.errors import SyncdError

__all__ = ["FileRefused"]


class FileRefused(SyncdError):
    """The file cannot be imported at all (binary, empty, no header, over a cap, …)."""
