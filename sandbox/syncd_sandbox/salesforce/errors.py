"""Salesforce-shaped errors: one row error type and one request error type."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ApiError", "RowError"]


@dataclass(frozen=True, kw_only=True)
class RowError:
    """One error on one record, as Salesforce reports it (code, message, fields)."""

    code: str
    message: str
    fields: tuple[str, ...] = ()

    def rest(self) -> dict:
        """Body element of a REST error response (``errorCode``)."""
        return {"message": self.message, "errorCode": self.code, "fields": list(self.fields)}

    def collection(self) -> dict:
        """Element of ``errors`` in sObject Collections results (``statusCode``)."""
        return {"statusCode": self.code, "message": self.message, "fields": list(self.fields)}

    def bulk(self) -> str:
        """The ``sf__Error`` cell of Bulk API 2.0 failed results."""
        return f"{self.code}:{self.message}:{','.join(self.fields)} --"


@dataclass(kw_only=True)
class ApiError(Exception):
    """A whole request fails: HTTP status plus a JSON array of errors."""

    status: int
    errors: list[RowError] = field(default_factory=list)

    @classmethod
    def of(cls, status: int, code: str, message: str, fields: tuple[str, ...] = ()) -> "ApiError":
        return cls(status=status, errors=[RowError(code=code, message=message, fields=fields)])

    def body(self) -> list[dict]:
        out = []
        for err in self.errors:
            item = {"message": err.message, "errorCode": err.code}
            if err.fields:
                item["fields"] = list(err.fields)
            out.append(item)
        return out

    def __str__(self) -> str:
        return "; ".join(f"{e.code}: {e.message}" for e in self.errors)
