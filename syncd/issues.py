"""Turn pydantic and TOML errors into ``ConfigIssue``s a RevOps person can act on."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel, ValidationError

from syncd.errors import ConfigIssue
from syncd.textsafe import printable

__all__ = ["IssueCollector", "issues_from_validation", "read_toml"]


def read_toml(path: Path, *, missing_hint: str = "copy config.example.toml and edit it, or "
                                                 "pass --config"
              ) -> tuple[dict[str, Any] | None, list[ConfigIssue]]:
    """Parse one TOML file; a missing, unreadable, wrongly encoded or malformed file becomes
    an issue naming the file (and the line), not a traceback."""
    file = printable(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [ConfigIssue(file=file, path="", message="file not found", hint=missing_hint)]
    except IsADirectoryError:
        return None, [ConfigIssue(file=file, path="", message="is a directory, not a file",
                                  hint=f"name the file itself, e.g. {printable(path / path.name)} "
                                       "or the config.toml inside it")]
    except OSError as exc:
        return None, [ConfigIssue(file=file, path="", message=f"cannot be read: {exc.strerror or exc}",
                                  hint="check the path and that this user may read it")]
    text, issue = _decode(raw, file)
    if issue is not None:
        return None, [issue]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return None, [ConfigIssue(file=file, path="", message=f"not valid TOML: {exc}",
                                  hint="fix the syntax at the line and column given")]


_BOMS = ((b"\xef\xbb\xbf", "UTF-8 with a byte order mark (BOM)"),
         (b"\xff\xfe", "UTF-16 (little-endian, with a BOM)"),
         (b"\xfe\xff", "UTF-16 (big-endian, with a BOM)"))


def _decode(raw: bytes, file: str) -> tuple[str, ConfigIssue | None]:
    """The file's text, or the issue naming its encoding problem and where it is."""
    for bom, what in _BOMS:
        if raw.startswith(bom):
            return "", ConfigIssue(file=file, path="line 1", message=f"the file is saved as {what}",
                                   hint="save it as UTF-8 without BOM (in most editors: "
                                        "Save with Encoding > UTF-8)")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return "", ConfigIssue(file=file, path=f"line {line}, column {column}",
                               message=f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                               hint="save it as UTF-8 (it looks like Latin-1 / Windows-1252)")


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Walk ``loc`` through nested model fields to find which model an unknown key sits in."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def issues_from_validation(exc: ValidationError, *, file: str,
                           model: type[BaseModel]) -> list[ConfigIssue]:
    """One ``ConfigIssue`` per pydantic error, unknown keys with a "did you mean"."""
    issues = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _dotted(loc)
        if err["type"] == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = sorted(parent.model_fields) if parent else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            issues.append(ConfigIssue(file=file, path=path, message="unknown key",
                                      expected=f"one of {', '.join(known)}" if known else None,
                                      hint=hint))
            continue
        found = err.get("input")
        shown = None if isinstance(found, dict) else repr(found)
        issues.append(ConfigIssue(file=file, path=path, message=err["msg"], found=shown))
    return issues


class IssueCollector:
    """Gathers every problem of one file, so a validator reports them all together."""

    def __init__(self, file: str) -> None:
        self.file, self.items = file, []

    def add(self, path: str, message: str, *, found: Any = None, expected: str | None = None,
            hint: str | None = None) -> None:
        shown = None if found is None else repr(found)
        self.items.append(ConfigIssue(file=self.file, path=path, message=message, found=shown,
                                      expected=expected, hint=hint))

    def one_of(self, path: str, value: Any, known: Collection[str], what: str) -> None:
        """``value`` must be one of ``known`` (listed in their order, or sorted for a set)."""
        if not isinstance(value, str) or value in known:
            return
        names = list(known) if isinstance(known, list | tuple) else sorted(known)
        close = difflib.get_close_matches(value, names, n=1)
        self.add(path, f"unknown {what}", found=value, expected=f"one of {', '.join(names)}",
                 hint=f"did you mean '{close[0]}'?" if close else None)
