"""SOQL tokenizer: turns a query string into positioned tokens."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ApiError

__all__ = ["Token", "tokenize", "query_error"]

KEYWORDS = frozenset({"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER",
                      "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET",
                      "NULL", "TRUE", "FALSE", "COUNT"})
_OPERATORS = ("!=", "<>", "<=", ">=", "=", "<", ">")
_PUNCT = "(),"


@dataclass(frozen=True, kw_only=True)
class Token:
    """``kind`` is one of keyword, ident, string, number, date, datetime, op, punct, end."""

    kind: str
    text: str
    value: object
    col: int  # 1-based column, as Salesforce reports it


def query_error(soql: str, col: int, code: str, message: str) -> ApiError:
    """A 400 whose message points at the column, like Salesforce's parser errors."""
    line = soql.replace("\n", " ")
    caret = " " * (col - 1) + "^"
    text = f"\n{line}\n{caret}\nERROR at Row:1:Column:{col}\n{message}"
    return ApiError.of(400, code, text)


def _read_string(soql: str, pos: int) -> tuple[str, int]:
    out, i = [], pos + 1
    escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
               "\\": "\\", "%": "\\%", "_": "\\_"}
    while i < len(soql):
        ch = soql[i]
        if ch == "\\" and i + 1 < len(soql):
            nxt = soql[i + 1]
            if nxt not in escapes:
                raise query_error(soql, i + 1, "MALFORMED_QUERY", f"Invalid string literal: \\{nxt}")
            # \% and \_ stay escaped so LIKE can tell a literal % from a wildcard.
            out.append(escapes[nxt])
            i += 2
        elif ch == "'":
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise query_error(soql, pos + 1, "MALFORMED_QUERY", "unterminated string literal")


def _read_word(soql: str, pos: int) -> tuple[Token, int]:
    i = pos + 1 if soql[pos] in "-+" else pos
    while i < len(soql) and (soql[i].isalnum() or soql[i] in "_.:-+"):
        if soql[i] in "-+" and not _in_temporal(soql[pos:i]):
            break
        i += 1
    text = soql[pos:i]
    kind, value = _classify(text)
    return Token(kind=kind, text=text, value=value, col=pos + 1), i


def _in_temporal(prefix: str) -> bool:
    # A '-' or '+' continues a date (2026-01-02) or a zone offset (…T10:00:00+01:00).
    return len(prefix) >= 4 and prefix[:4].isdigit()


def _classify(text: str) -> tuple[str, object]:
    from .soql_values import parse_temporal

    upper = text.upper()
    if upper in KEYWORDS:
        return "keyword", upper
    if text[:1].isdigit() or (text[:1] in "-+" and text[1:2].isdigit()):
        temporal = parse_temporal(text)
        if temporal is not None:
            return temporal
        try:
            return "number", (float(text) if "." in text or "e" in text.lower() else int(text))
        except ValueError:
            return "bad", text
    return "ident", text


def tokenize(soql: str) -> list[Token]:
    """All tokens of ``soql`` followed by an ``end`` token; raises MALFORMED_QUERY."""
    tokens, i = [], 0
    while i < len(soql):
        ch = soql[i]
        if ch.isspace():
            i += 1
        elif ch == "'":
            value, end = _read_string(soql, i)
            tokens.append(Token(kind="string", text=soql[i:end], value=value, col=i + 1))
            i = end
        elif ch in _PUNCT:
            tokens.append(Token(kind="punct", text=ch, value=ch, col=i + 1))
            i += 1
        elif soql.startswith(_OPERATORS, i):
            op = next(o for o in _OPERATORS if soql.startswith(o, i))
            tokens.append(Token(kind="op", text=op, value="!=" if op == "<>" else op, col=i + 1))
            i += len(op)
        elif ch.isalnum() or ch in "_-+":
            token, i = _read_word(soql, i)
            if token.kind == "bad":
                raise query_error(soql, token.col, "MALFORMED_QUERY",
                                  f"unexpected token: '{token.text}'")
            tokens.append(token)
        else:
            raise query_error(soql, i + 1, "MALFORMED_QUERY", f"unexpected token: '{ch}'")
    tokens.append(Token(kind="end", text="", value=None, col=len(soql) + 1))
    return tokens
