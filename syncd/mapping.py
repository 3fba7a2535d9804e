"""``mappings/fields.toml``: which HubSpot property goes to which Salesforce field, and how.

Sync rules use the vocabulary RevOps already knows from HubSpot's own connector:

- ``always_hubspot``: HubSpot's value is written whenever it changes.
- ``prefer_salesforce_unless_blank``: written only while the Salesforce field is blank.
- ``two_way``: the side that changed last wins; syncd writes when HubSpot's value changed
  since syncd last wrote it, and leaves an edit made in Salesforce alone otherwise.
- ``dont_sync``: listed for documentation, never written.

A blank HubSpot value never overwrites a Salesforce value unless ``blank_overwrites = true``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from syncd.issues import issues_from_validation, read_toml
from syncd.errors import ConfigIssue

__all__ = ["ComputedFields", "FieldMapping", "FieldRule", "HubSpotWriteback", "load_field_mapping"]

SyncRule = Literal["always_hubspot", "prefer_salesforce_unless_blank", "two_way", "dont_sync"]
Transform = Literal["none", "strip", "lower", "upper", "title", "e164"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldRule(_Frozen):
    hubspot: str = Field(min_length=1)
    salesforce: str | None = None
    lead: str | None = None
    contact: str | None = None
    rule: SyncRule = "prefer_salesforce_unless_blank"
    transform: Transform = "strip"
    blank_overwrites: bool = False

    @model_validator(mode="after")
    def _has_target(self) -> FieldRule:
        if not (self.salesforce or self.lead or self.contact):
            raise ValueError("name a Salesforce field with 'salesforce' (Lead and Contact) "
                             "or with 'lead' / 'contact'")
        return self

    def target(self, object_name: str) -> str | None:
        """The field this rule writes on ``Lead`` or ``Contact``, if any."""
        specific = self.lead if object_name == "Lead" else self.contact
        return specific or self.salesforce


class ComputedFields(_Frozen):
    """Salesforce fields (on Lead and Contact) that receive what syncd computes."""

    stage: str = "Lifecycle_Stage__c"
    score: str | None = "Lead_Score__c"
    grade: str | None = "Fit_Grade__c"
    intent: str | None = "Buying_Intent__c"
    profile: str | None = "Lead_Profile__c"
    last_engagement: str | None = "Last_Engagement_Date__c"

    def targets(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


class SalesforceTargets(_Frozen):
    external_id_field: str = "HubSpot_Id__c"
    create_as: Literal["Lead"] = "Lead"
    default_phone_region: str = Field("US", pattern=r"^[A-Z]{2}$")
    lead_defaults: dict[str, str] = Field(default_factory=dict)


class HubSpotWriteback(_Frozen):
    """HubSpot contact properties that receive what syncd computes and sales' verdict, so
    HubSpot workflows can nurture passive and active contacts. Leave a name out to not
    write it. ``lead_status_values`` translates Salesforce Lead Status values into the
    options of ``lead_status``; a status not listed is not written."""

    stage: str | None = None
    intent: str | None = None
    score: str | None = None
    grade: str | None = None
    verdict: str | None = None
    lead_status: str | None = None
    owner: str | None = None
    lead_status_values: dict[str, str] = Field(default_factory=dict)

    def properties(self) -> dict[str, str]:
        """What each written value is called in HubSpot, by syncd's name for it."""
        return {k: v for k, v in self.model_dump(exclude={"lead_status_values"}).items() if v}


class FieldMapping(_Frozen):
    salesforce: SalesforceTargets = SalesforceTargets()
    computed: ComputedFields = ComputedFields()
    hubspot: HubSpotWriteback = HubSpotWriteback()
    fields: tuple[FieldRule, ...] = ()

    def hubspot_properties(self) -> frozenset[str]:
        """Every HubSpot property this mapping reads or writes back."""
        read = frozenset(r.hubspot for r in self.fields if r.rule != "dont_sync") | {"email"}
        return read | frozenset(self.hubspot.properties().values())

    def salesforce_fields(self, object_name: str) -> frozenset[str]:
        """Every Salesforce field this mapping reads or writes on ``object_name``."""
        names = {r.target(object_name) for r in self.fields if r.rule != "dont_sync"}
        names |= set(self.computed.targets().values()) | {self.salesforce.external_id_field}
        if object_name == "Lead":
            names |= set(self.salesforce.lead_defaults)
        return frozenset(n for n in names if n)


def load_field_mapping(path: Path) -> tuple[FieldMapping | None, list[ConfigIssue]]:
    data, issues = read_toml(path, missing_hint="copy mappings/fields.toml from the syncd "
                                                "repository and edit it")
    if data is None:
        return None, issues
    try:
        mapping = FieldMapping.model_validate(data)
    except ValidationError as exc:
        return None, issues_from_validation(exc, file=str(path), model=FieldMapping)
    issues = _does_something(mapping, data, str(path)) + _one_writer_per_field(mapping, str(path))
    return (None, issues) if issues else (mapping, [])


def _does_something(mapping: FieldMapping, data: dict, file: str) -> list[ConfigIssue]:
    """A mapping that maps nothing would run and silently write nothing of HubSpot's."""
    if not data:
        return [ConfigIssue(file=file, path="", message="the file is empty",
                            hint="copy mappings/fields.toml from the syncd repository; it needs "
                                 "[[fields]] entries (hubspot = ..., salesforce = ...)")]
    if not any(rule.rule != "dont_sync" for rule in mapping.fields):
        return [ConfigIssue(file=file, path="fields", message="no HubSpot property is mapped to "
                            "Salesforce (no [[fields]] entry, or all are dont_sync)",
                            hint="add [[fields]] entries such as hubspot = \"email\", "
                                 "salesforce = \"Email\"")]
    return []


def _one_writer_per_field(mapping: FieldMapping, file: str) -> list[ConfigIssue]:
    """Two entries writing one Salesforce field would overwrite each other every cycle."""
    issues = []
    for object_name in ("Lead", "Contact"):
        writers: dict[str, str] = {f"{v}": f"computed.{k}" for k, v in mapping.computed.targets().items()}
        writers.setdefault(mapping.salesforce.external_id_field, "salesforce.external_id_field")
        for index, rule in enumerate(mapping.fields):
            target = rule.target(object_name)
            if rule.rule == "dont_sync" or not target:
                continue
            path = f"fields[{index}]"
            if target in writers:
                issues.append(ConfigIssue(
                    file=file, path=path, message=f"writes {object_name}.{target}, which "
                    f"{writers[target]} writes too", hint="map each Salesforce field once (use "
                    "'lead' / 'contact' to write different fields per object)"))
            else:
                writers[target] = path
    return _unique(issues)


def _unique(issues: list[ConfigIssue]) -> list[ConfigIssue]:
    seen, out = set(), []
    for issue in issues:
        key = (issue.path, issue.message.split(".", 1)[-1])
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
