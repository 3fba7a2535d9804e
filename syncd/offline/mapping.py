"""``mappings/offline/<source>.toml``: how one kind of offline file maps to fields.

```toml
[source]
lead_source = "Trade Show"
campaign = "SaaStr 2026"
default_country = "US"      # for phone numbers written without +<code>
event_date = "2026-09-24"   # or map a column to event_date

[columns]                   # file column → field
"E-mail" = "email"

ignore = ["Badge ID"]        # columns read but deliberately not used

[consent]                   # optional: which column, and which values mean yes
column = "Opt-in"

[hand_raise]                # optional: a column whose value means "wants to talk to sales"
column = "Notes"
contains = ["demo", "pricing"]
```
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from syncd.errors import ConfigError
from syncd.issues import issues_from_validation, read_toml
from syncd.offline.fields import FieldName

__all__ = ["ConsentRule", "HandRaiseRule", "SourceMapping", "SourceSection", "load_source_mapping"]

YES = ("yes", "y", "true", "1", "x", "ja", "j", "oui", "si", "sí", "sì", "wahr")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceSection(_Frozen):
    """Facts about the whole file (the same for every row)."""

    name: str | None = None
    lead_source: str | None = None
    campaign: str | None = None
    event_date: date | None = None
    default_country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    encoding: str | None = None
    delimiter: str | None = Field(None, min_length=1, max_length=1)
    sheet: str | None = None


class ConsentRule(_Frozen):
    column: str = Field(min_length=1)
    yes: tuple[str, ...] = YES


class HandRaiseRule(_Frozen):
    """A row raises its hand when ``column`` equals one of ``values`` or contains a word of
    ``contains`` (case-insensitive)."""

    column: str = Field(min_length=1)
    values: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_test(self) -> "HandRaiseRule":
        if not (self.values or self.contains):
            raise ValueError("give 'values' (whole cell values) or 'contains' (words), or both")
        return self


class SourceMapping(_Frozen):
    source: SourceSection = SourceSection()
    columns: dict[str, FieldName] = Field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    consent: ConsentRule | None = None
    hand_raise: HandRaiseRule | None = None

    @model_validator(mode="after")
    def _one_column_per_field(self) -> "SourceMapping":
        seen: dict[str, str] = {}
        for col, field in self.columns.items():
            if field in seen:
                raise ValueError(f"columns {seen[field]!r} and {col!r} both map to {field!r}; "
                                 "map one and list the other under ignore")
            seen[field] = col
        return self

    def used_columns(self) -> set[str]:
        """Every file column this mapping names."""
        cols = set(self.columns) | set(self.ignore)
        cols |= {r.column for r in (self.consent, self.hand_raise) if r is not None}
        return cols


def load_source_mapping(path: Path) -> SourceMapping:
    """Read and validate one source mapping; ``ConfigError`` lists every problem."""
    data, issues = read_toml(path, missing_hint="create it, e.g. with syncd import FILE "
                                                "--suggest-mapping " + str(path))
    if data is None:
        raise ConfigError(issues)
    try:
        return SourceMapping.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(exc, file=str(path), model=SourceMapping)) from None
