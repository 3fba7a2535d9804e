"""The one error every normaliser raises for a value it cannot accept."""

from __future__ import annotations

__all__ = ["Invalid"]


class Invalid(ValueError):
    """A value was refused; ``str(exc)`` is the reason, written for the person who typed it."""
