"""Checks a parsed SOQL query against the schema and runs it over the org's records."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .ids import normalize_id
from .schema import FieldDef, ObjectSchema
from .soql_dates import day_range, range_test
from .soql_lexer import query_error
from .soql_ast import And, Compare, FieldRef, InList, Like, Literal, Not, Or, Query
from .soql_values import format_datetime

__all__ = ["CompiledQuery", "compile_query"]

Lookup = Callable[[str], tuple[str, dict] | None]
_NO_COLUMN = ("No such column '{name}' on entity '{obj}'. If you are attempting to use a "
              "custom field, be sure to append the '__c' after the custom field name. Please "
              "reference your WSDL or the describe call for the appropriate names.")
_NO_RELATION = ("Didn't understand relationship '{name}' in field path. If you are attempting "
                "to use a custom relationship, be sure to append the '__r' after the custom "
                "relationship name. Please reference your WSDL or the describe call for the "
                "appropriate names.")
_NUMERIC = {"double", "int", "currency"}
_EXPECTED = {"boolean": "boolean", "datetime": "dateTime", "date": "date", "double": "double",
             "int": "int", "currency": "currency"}


@dataclass(frozen=True, kw_only=True)
class _Column:
    """A resolved field path: where the value lives and how to read it."""

    path: tuple[str, ...]          # canonical names, e.g. ("Owner", "Name")
    field: FieldDef                # the leaf field
    reference: FieldDef | None     # the reference field for a parent lookup


class _Compiler:
    def __init__(self, soql: str, query: Query, schemas: dict[str, ObjectSchema],
                 lookup: Lookup, today: date) -> None:
        self.soql, self.query, self.schemas, self.lookup = soql, query, schemas, lookup
        self.today = today
        schema = schemas.get(query.object_name) or next(
            (s for n, s in schemas.items() if n.lower() == query.object_name.lower()), None)
        if schema is None:
            raise query_error(soql, query.object_col, "INVALID_TYPE",
                              f"sObject type '{query.object_name}' is not supported. If you "
                              "are attempting to use a custom object, be sure to append the "
                              "'__c' after the entity name. Please reference your WSDL or the "
                              "describe call for the appropriate names.")
        self.schema = schema

    def column(self, ref: FieldRef) -> _Column:
        if len(ref.path) == 1:
            found = self.schema.field(ref.path[0])
            if found is None:
                raise query_error(self.soql, ref.col, "INVALID_FIELD", _NO_COLUMN.format(
                    name=ref.text, obj=self.schema.name))
            return _Column(path=(found.name,), field=found, reference=None)
        reference = self.schema.relationship(ref.path[0])
        if reference is None or len(ref.path) > 2:
            raise query_error(self.soql, ref.col, "INVALID_FIELD",
                              _NO_RELATION.format(name=ref.path[0]))
        parent = self.schemas[reference.reference_to[0]]
        found = parent.field(ref.path[1])
        if found is None:
            raise query_error(self.soql, ref.col, "INVALID_FIELD", _NO_COLUMN.format(
                name=ref.text, obj=parent.name))
        return _Column(path=(reference.relationship_name, found.name), field=found,
                       reference=reference)

    def getter(self, col: _Column) -> Callable[[dict], object]:
        name = col.field.name
        if col.reference is None:
            return lambda rec: rec.get(name)
        ref_name, lookup = col.reference.name, self.lookup

        def read(rec: dict) -> object:
            parent = lookup(rec[ref_name]) if rec.get(ref_name) else None
            return parent[1].get(name) if parent else None
        return read

    def operand(self, col: _Column, lit: Literal) -> object:
        kind = col.field.type
        if lit.kind == "null":
            return None
        ok = {"boolean": lit.kind == "boolean", "datetime": lit.kind == "datetime",
              "date": lit.kind == "date"}.get(kind, lit.kind == "number" if kind in _NUMERIC
                                              else lit.kind == "string")
        if not ok:
            if kind in _EXPECTED:
                msg = (f"value of filter criterion for field '{col.field.name}' must be of "
                       f"type {_EXPECTED[kind]} and should not be enclosed in quotes")
            else:
                msg = (f"value of filter criterion for field '{col.field.name}' must be of "
                       "type string and should be enclosed in quotes")
            raise query_error(self.soql, lit.col, "INVALID_QUERY_FILTER_OPERATOR", msg)
        if kind == "datetime":
            return format_datetime(lit.value)  # canonical text sorts like the instant
        if kind == "date":
            return lit.value.isoformat()
        if kind in ("id", "reference"):
            return normalize_id(lit.value)
        return _fold(col.field, lit.value)

    def predicate(self, node: object) -> Callable[[dict], bool]:
        if isinstance(node, And):
            parts = [self.predicate(n) for n in node.items]
            return lambda rec: all(p(rec) for p in parts)
        if isinstance(node, Or):
            parts = [self.predicate(n) for n in node.items]
            return lambda rec: any(p(rec) for p in parts)
        if isinstance(node, Not):
            inner = self.predicate(node.item)
            return lambda rec: not inner(rec)
        col = self.column(node.field)
        get, fld = self.getter(col), col.field
        if isinstance(node, InList):
            wanted = {self.operand(col, v) for v in node.values}
            negate = node.negate
            return lambda rec: (_fold(fld, get(rec)) in wanted) != negate
        if isinstance(node, Like):
            if not fld.is_text:
                raise query_error(self.soql, node.field.col, "INVALID_FIELD",
                                  f"invalid operator on {fld.type} field: LIKE")
            rx = _like_regex(node.pattern.value)
            return lambda rec: (v := get(rec)) is not None and rx.fullmatch(str(v)) is not None
        if node.value.kind == "relative":
            return self.relative(node, col, get)
        return _compare(node.op, get, fld, self.operand(col, node.value))

    def relative(self, node: Compare, col: _Column, get) -> Callable[[dict], bool]:
        if col.field.type not in ("date", "datetime"):
            raise query_error(self.soql, node.value.col, "INVALID_QUERY_FILTER_OPERATOR",
                              f"value of filter criterion for field '{col.field.name}' must "
                              f"be of type {_EXPECTED.get(col.field.type, 'string')}")
        lo, hi = day_range(node.value.value, self.today)
        if col.field.type == "date":
            test = range_test(node.op, lo.isoformat(), hi.isoformat())
        else:
            test = range_test(node.op, f"{lo.isoformat()}T00:00:00.000+0000",
                              f"{hi.isoformat()}T23:59:59.999+0000")
        return lambda rec: test(get(rec))


def _fold(field: FieldDef, value: object) -> object:
    # SOQL compares text case-insensitively (Email included); ids stay case-sensitive.
    if isinstance(value, str) and field.is_text:
        return value.lower()
    return value


def _compare(op: str, get, fld: FieldDef, want: object) -> Callable[[dict], bool]:
    if op in ("=", "!="):
        same = op == "="
        return lambda rec: (_fold(fld, get(rec)) == want) == same
    test = {"<": lambda a: a < want, ">": lambda a: a > want,
            "<=": lambda a: a <= want, ">=": lambda a: a >= want}[op]
    if want is None:
        return lambda rec: False
    return lambda rec: (v := _fold(fld, get(rec))) is not None and test(v)


def _like_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class CompiledQuery:
    """A query checked against the schema, ready to run over records."""

    object_name: str
    count_only: bool
    run: Callable[[Iterable[dict]], list[dict]]
    project: Callable[[dict], dict]
    columns: tuple[str, ...] = ()      # selected fields, canonical (``Account.Name``)
    has_offset: bool = False


def compile_query(soql: str, query: Query, schemas: dict[str, ObjectSchema], lookup: Lookup,
                  version: str, today: date | None = None) -> CompiledQuery:
    """Resolve every field (INVALID_FIELD / INVALID_TYPE otherwise) and build the plan.

    ``today`` (UTC) anchors relative date literals such as ``LAST_N_DAYS:7``.
    """
    from .soql_project import build_plan

    comp = _Compiler(soql, query, schemas, lookup, today or datetime.now(UTC).date())
    where = comp.predicate(query.where) if query.where is not None else None
    return build_plan(comp, query, where, version)
