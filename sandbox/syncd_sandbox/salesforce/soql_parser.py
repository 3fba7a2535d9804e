"""Recursive-descent parser for the SOQL subset syncd uses.

Grammar::

    query     := SELECT (COUNT '(' ')' | field (',' field)*) FROM ident
                 [WHERE cond] [ORDER BY order (',' order)*] [LIMIT n] [OFFSET n]
    cond      := unary ((AND unary)* | (OR unary)*)     -- mixing needs parentheses
    unary     := NOT unary | '(' cond ')' | field compare
    compare   := op literal | [NOT] IN '(' literal (',' literal)* ')' | LIKE string
    order     := field [ASC|DESC] [NULLS (FIRST|LAST)]
"""

from __future__ import annotations

from .soql_ast import (And, Compare, FieldRef, InList, Like, Literal, Not, Or, OrderItem,
                       Query)
from .soql_dates import is_relative
from .soql_lexer import Token, query_error, tokenize

__all__ = ["And", "Compare", "FieldRef", "InList", "Like", "Literal", "Not", "Or",
           "OrderItem", "Query", "parse"]


class _Parser:
    def __init__(self, soql: str) -> None:
        self.soql = soql
        self.tokens = tokenize(soql)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def fail(self, token: Token | None = None) -> Exception:
        token = token or self.tok
        text = token.text or "<EOF>"
        return query_error(self.soql, token.col, "MALFORMED_QUERY", f"unexpected token: '{text}'")

    def next(self) -> Token:
        token = self.tok
        self.pos += 1
        return token

    def accept(self, kind: str, value: object = None) -> Token | None:
        if self.tok.kind == kind and (value is None or self.tok.value == value):
            return self.next()
        return None

    def expect(self, kind: str, value: object = None) -> Token:
        token = self.accept(kind, value)
        if token is None:
            raise self.fail()
        return token

    def query(self) -> Query:
        self.expect("keyword", "SELECT")
        count, fields = self.select_list()
        self.expect("keyword", "FROM")
        obj = self.expect("ident")
        where = self.cond() if self.accept("keyword", "WHERE") else None
        order = self.order_by() if self.accept("keyword", "ORDER") else ()
        limit = self.integer() if self.accept("keyword", "LIMIT") else None
        offset = self.integer() if self.accept("keyword", "OFFSET") else None
        if self.tok.kind != "end":
            raise self.fail()
        return Query(object_name=obj.text, object_col=obj.col, fields=fields, count=count,
                     where=where, order=order, limit=limit, offset=offset)

    def select_list(self) -> tuple[bool, tuple[FieldRef, ...]]:
        if self.accept("keyword", "COUNT"):
            self.expect("punct", "(")
            self.expect("punct", ")")
            return True, ()
        fields = [self.field()]
        while self.accept("punct", ","):
            fields.append(self.field())
        return False, tuple(fields)

    def field(self) -> FieldRef:
        token = self.expect("ident")
        parts = token.text.split(".")
        if any(not p for p in parts):
            raise self.fail(token)
        return FieldRef(path=tuple(parts), col=token.col)

    def integer(self) -> int:
        token = self.expect("number")
        if not isinstance(token.value, int) or token.value < 0:
            raise self.fail(token)
        return token.value

    def cond(self) -> object:
        first = self.unary()
        for joiner, node in (("AND", And), ("OR", Or)):
            if self.tok.kind == "keyword" and self.tok.value == joiner:
                items = [first]
                while self.accept("keyword", joiner):
                    items.append(self.unary())
                if self.tok.kind == "keyword" and self.tok.value in ("AND", "OR"):
                    raise self.fail()  # Salesforce requires parentheses to mix AND and OR
                return node(items=tuple(items))
        return first

    def unary(self) -> object:
        if self.accept("keyword", "NOT"):
            return Not(item=self.unary())
        if self.accept("punct", "("):
            inner = self.cond()
            self.expect("punct", ")")
            return inner
        return self.comparison(self.field())

    def comparison(self, field: FieldRef) -> object:
        if self.tok.kind == "op":
            op = self.next().value
            return Compare(field=field, op=op, value=self.literal())
        if self.accept("keyword", "LIKE"):
            token = self.expect("string")
            return Like(field=field, pattern=Literal(kind="string", value=token.value,
                                                     col=token.col))
        negate = bool(self.accept("keyword", "NOT"))
        self.expect("keyword", "IN")
        self.expect("punct", "(")
        values = [self.literal()]
        while self.accept("punct", ","):
            values.append(self.literal())
        self.expect("punct", ")")
        return InList(field=field, values=tuple(values), negate=negate)

    def literal(self) -> Literal:
        token = self.next()
        if token.kind in ("string", "number", "date", "datetime"):
            return Literal(kind=token.kind, value=token.value, col=token.col)
        if token.kind == "keyword" and token.value in ("TRUE", "FALSE"):
            return Literal(kind="boolean", value=token.value == "TRUE", col=token.col)
        if token.kind == "keyword" and token.value == "NULL":
            return Literal(kind="null", value=None, col=token.col)
        if token.kind == "ident" and is_relative(token.text):
            return Literal(kind="relative", value=token.text.upper(), col=token.col)
        raise self.fail(token)

    def order_by(self) -> tuple[OrderItem, ...]:
        self.expect("keyword", "BY")
        items = [self.order_item()]
        while self.accept("punct", ","):
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> OrderItem:
        field = self.field()
        descending = bool(self.accept("keyword", "DESC"))
        if not descending:
            self.accept("keyword", "ASC")
        nulls_last = descending  # Salesforce's default: nulls first ascending, last descending
        if self.accept("keyword", "NULLS"):
            nulls_last = bool(self.accept("keyword", "LAST"))
            if not nulls_last:
                self.expect("keyword", "FIRST")
        return OrderItem(field=field, descending=descending, nulls_last=nulls_last)


def parse(soql: str) -> Query:
    """The syntax tree of ``soql``; raises ApiError(400, MALFORMED_QUERY) when malformed."""
    return _Parser(soql).query()
