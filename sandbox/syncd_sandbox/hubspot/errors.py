"""HubSpot's error bodies, raised as ``ApiError`` inside the emulator and rendered once."""

from __future__ import annotations

import uuid
from typing import Any

__all__ = ["ApiError", "standard_error"]


class ApiError(Exception):
    """An error response: HTTP status plus HubSpot's JSON error body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(body.get("message", ""))
        self.status, self.body, self.headers = status, body, headers or {}

    @classmethod
    def of(cls, status: int, category: str, message: str, **extra: Any) -> "ApiError":
        """An error with ``status``, ``category`` and ``message`` (plus a fresh correlation id)."""
        body = {"status": "error", "message": message,
                "correlationId": str(uuid.uuid4()), "category": category}
        body.update(extra)
        return cls(status, body)

    @classmethod
    def validation(cls, message: str, *, field: str | None = None) -> "ApiError":
        """400 VALIDATION_ERROR; ``field`` is echoed in ``errors[0].in`` so clients can show it."""
        extra = {"errors": [{"message": message, "in": field}]} if field else {}
        return cls.of(400, "VALIDATION_ERROR", message, **extra)

    @classmethod
    def not_found(cls, message: str = "resource not found") -> "ApiError":
        """404 OBJECT_NOT_FOUND."""
        return cls.of(404, "OBJECT_NOT_FOUND", message)


def standard_error(category: str, message: str, ids: list[str], *,
                   key: str = "ids") -> dict[str, Any]:
    """One per-record entry of a 207 batch response (the v3 StandardError shape)."""
    return {"status": "error", "category": category, "message": message,
            "context": {key: list(ids)}, "errors": [], "links": {}}
