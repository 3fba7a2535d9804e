"""Turn pydantic and TOML errors into ``ConfigIssue``s a RevOps person can act on."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from syncd.errors import ConfigIssue

__all__ = ["issues_from_validation", "read_toml"]


def read_toml(path: Path, *, missing_hint: str = "copy config.example.toml and edit it, or "
                                                 "pass --config"
              ) -> tuple[dict[str, Any] | None, list[ConfigIssue]]:
    """Parse one TOML file; a missing or malformed file becomes an issue, not a traceback."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh), []
    except FileNotFoundError:
        return None, [ConfigIssue(file=str(path), path="", message="file not found",
                                  hint=missing_hint)]
    except tomllib.TOMLDecodeError as exc:
        return None, [ConfigIssue(file=str(path), path="", message=f"not valid TOML: {exc}",
                                  hint="fix the syntax at the line and column given")]


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
