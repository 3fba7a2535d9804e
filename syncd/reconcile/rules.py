"""``mappings/matching.toml``: which columns to match on, how to compare each, and where
the merge / review / create bands start.

```toml
[matching]
backend = "duckdb"     # or "spark" for very large one-off runs
merge = 0.95           # match probability at or above: merge into the existing record
review = 0.80          # at or above (and below merge): a person decides; below: create
default_region = "US"  # phone numbers written without +<code>

[fields]               # column name → comparison kind
email = "email"
first_name = "first_name"
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from syncd.errors import ConfigError
from syncd.issues import issues_from_validation, read_toml

__all__ = ["KINDS", "Kind", "MatchingRules", "MatchingSettings", "load_rules"]

Kind = Literal["email", "phone", "first_name", "last_name", "full_name", "company", "website",
               "address", "city", "postcode", "date", "identifier", "text", "exact", "crosswalk"]
KINDS: tuple[str, ...] = get_args(Kind)
_ONE_EACH = ("first_name", "last_name", "full_name", "company")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MatchingSettings(_Frozen):
    backend: Literal["duckdb", "spark"] = "duckdb"
    merge: float = Field(0.95, gt=0, lt=1)
    review: float = Field(0.80, gt=0, lt=1)
    tie_margin: float = Field(3.0, ge=0, description="match weight (bits) within which two candidates tie")
    default_region: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    region_column: str | None = None
    shared_phone_records: int = Field(3, ge=2, description="a number on this many existing records is a switchboard")
    train: bool = True
    min_training_records: int = Field(500, ge=10)

    @model_validator(mode="after")
    def _bands_in_order(self) -> "MatchingSettings":
        if self.review > self.merge:
            raise ValueError(f"review ({self.review}) must not be above merge ({self.merge})")
        return self


class MatchingRules(_Frozen):
    matching: MatchingSettings = MatchingSettings()
    fields: dict[str, Kind]

    @model_validator(mode="after")
    def _usable(self) -> "MatchingRules":
        kinds = list(self.fields.values())
        for kind in _ONE_EACH:
            if kinds.count(kind) > 1:
                raise ValueError(f"only one column may be of kind {kind!r}")
        if "full_name" in kinds and ({"first_name", "last_name"} & set(kinds)):
            raise ValueError("declare either full_name or first_name/last_name, not both")
        if len([k for k in kinds if k not in ("website",)]) < 2:
            raise ValueError("declare at least two match fields")
        return self

    def columns_of(self, *kinds: str) -> list[str]:
        """Declared columns of the given kinds, in declaration order."""
        return [col for col, kind in self.fields.items() if kind in kinds]


def load_rules(path: Path) -> MatchingRules:
    """Read and validate ``matching.toml``; ``ConfigError`` lists every problem."""
    data, issues = read_toml(path, missing_hint="copy mappings/matching.toml from the syncd repository, "
                                                "or run syncd reconcile without --rules to have them inferred")
    if data is None:
        raise ConfigError(issues)
    try:
        return MatchingRules.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(issues_from_validation(exc, file=str(path), model=MatchingRules)) from None
