"""Syntax tree of the SOQL subset: immutable nodes built by the parser."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["And", "Compare", "FieldRef", "InList", "Like", "Literal", "Not", "Or",
           "OrderItem", "Query"]


@dataclass(frozen=True, kw_only=True)
class FieldRef:
    path: tuple[str, ...]
    col: int

    @property
    def text(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, kw_only=True)
class Literal:
    kind: str  # string, number, boolean, null, date, datetime, relative (TODAY, …)
    value: object
    col: int


@dataclass(frozen=True, kw_only=True)
class Compare:
    field: FieldRef
    op: str
    value: Literal


@dataclass(frozen=True, kw_only=True)
class InList:
    field: FieldRef
    values: tuple[Literal, ...]
    negate: bool


@dataclass(frozen=True, kw_only=True)
class Like:
    field: FieldRef
    pattern: Literal


@dataclass(frozen=True, kw_only=True)
class And:
    items: tuple


@dataclass(frozen=True, kw_only=True)
class Or:
    items: tuple


@dataclass(frozen=True, kw_only=True)
class Not:
    item: object


@dataclass(frozen=True, kw_only=True)
class OrderItem:
    field: FieldRef
    descending: bool
    nulls_last: bool


@dataclass(frozen=True, kw_only=True)
class Query:
    object_name: str
    object_col: int
    fields: tuple[FieldRef, ...]
    count: bool
    where: object | None
    order: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None
