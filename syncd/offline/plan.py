"""What each record of an imported file does (pure: values in, a plan out).

* **merge** into a HubSpot contact: an ``offline`` engagement event on it, and its blank
  properties filled from the record (survivorship: an existing value always wins).
* **merge** into a Salesforce record: the event goes to the HubSpot contact linked to it;
  without one, a HubSpot contact is created for that person and linked to the record, so
  the cycle never makes a second Lead.
* **create**: a new HubSpot contact (where the consent policy allows); the cycle then
  writes its Lead like any other.
* **review**: parked in the review queue with the candidates and evidence, never written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from syncd.effects import Link, ReviewItem
from syncd.models import EngagementEvent, EngagementKind, HubSpotContact
from syncd.offline.people import TO_HUBSPOT
from syncd.offline.result import ImportResult, LineResult
from syncd.offline_change import FieldFill, OfflineRow
from syncd.reconcile.result import Decision

__all__ = ["ConsentPolicy", "Create", "ImportPlan", "Targets", "offline_event", "plan_import", "review_key"]

ConsentPolicy = Literal["where_consent", "only_with_consent", "never"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Targets:
    """What the store knows of the existing side: contacts' properties, mirrored records
    (``sf_id`` → ``(object, fields)``) and the contact linked to each Salesforce record."""

    contacts: Mapping[str, Mapping[str, Any]]
    mirror: Mapping[str, tuple[str, Mapping[str, Any]]]
    linked: Mapping[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Create:
    """A HubSpot contact to create for one record (``sf_target``: the Salesforce record it is)."""

    content_hash: str
    line: int
    outcome: str
    fields: Mapping[str, Any]
    properties: Mapping[str, str]
    sf_target: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportPlan:
    rows: tuple[OfflineRow, ...]
    events: tuple[EngagementEvent, ...]
    fills: tuple[FieldFill, ...]
    updates: tuple[HubSpotContact, ...]
    creates: tuple[Create, ...]
    reviews: tuple[ReviewItem, ...]

    def hubspot_updates(self) -> list[dict[str, Any]]:
        """``update_contacts`` rows for the blank properties filled."""
        by_id: dict[str, dict[str, str]] = {}
        for f in self.fills:
            by_id.setdefault(f.hubspot_id, {})[f.field] = f.value
        return [{"id": h, "properties": p} for h, p in sorted(by_id.items())]


def review_key(content_hash: str, line: int) -> str:
    """The review-queue id of an offline record."""
    return f"offline:{content_hash[:16]}:{line}"


def offline_event(content_hash: str, line: int, fields: Mapping[str, Any], contact_id: str,
                  now: datetime) -> EngagementEvent:
    """The ``offline`` engagement event a record becomes (its id makes a re-import a no-op)."""
    when = _when(fields.get("event_date"), now)
    return EngagementEvent(
        id=f"offline:{content_hash[:16]}:{line}", contact_id=contact_id, kind=EngagementKind.OFFLINE,
        occurred_at=when, attributes={"source": fields.get("lead_source") or "offline",
                                      "campaign": fields.get("campaign") or "",
                                      "event_date": when.date().isoformat(),
                                      "hand_raise": "true" if fields.get("hand_raise") else "false",
                                      "line": line})


def _when(value: Any, now: datetime) -> datetime:
    if not value:
        return now
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(str(value)[:10]), time(12))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def contact_properties(fields: Mapping[str, Any]) -> dict[str, str]:
    return {prop: str(fields[f]).lstrip("'") for f, prop in TO_HUBSPOT.items() if fields.get(f) not in (None, "")}


def consent_allows(fields: Mapping[str, Any], policy: ConsentPolicy) -> str | None:
    """Why a contact may not be created for this record (None: it may)."""
    if policy == "never":
        return "creating contacts from offline files is off ([offline] create_contacts = \"never\")"
    consent = fields.get("consent")
    if consent is False:
        return "no consent (the file's consent column says no)"
    if consent is None and policy == "only_with_consent":
        return "no consent recorded for this record"
    if not fields.get("email"):
        return "no email: HubSpot needs one to create a contact"
    return None


def plan_import(result: ImportResult, decisions: Sequence[Decision], targets: Targets, *,
                policy: ConsentPolicy, now: datetime) -> ImportPlan:
    """One ``OfflineRow`` per record of ``result``; ``decisions`` are the engine's, one per
    record that was imported, merged or a duplicate, in file order."""
    matched = [ln for ln in result.lines if ln.outcome in ("imported", "merged", "duplicate")]
    if len(matched) != len(decisions):
        raise ValueError(f"{result.file}: {len(decisions)} decisions for {len(matched)} records")
    by_line = {ln.line: d for ln, d in zip(matched, decisions)}
    out = _Builder(result.content_hash, targets, policy, now)
    for line in result.lines:
        out.add(line, by_line.get(line.line))
    return out.plan()


class _Builder:
    def __init__(self, content_hash: str, targets: Targets, policy: ConsentPolicy, now: datetime) -> None:
        self.hash, self.targets, self.policy, self.now = content_hash, targets, policy, now
        self.rows: list[OfflineRow] = []
        self.events: list[EngagementEvent] = []
        self.fills: list[FieldFill] = []
        self.updates: dict[str, HubSpotContact] = {}
        self.creates: list[Create] = []
        self.reviews: list[ReviewItem] = []

    def plan(self) -> ImportPlan:
        return ImportPlan(rows=tuple(self.rows), events=tuple(self.events), fills=tuple(self.fills),
                          updates=tuple(self.updates.values()), creates=tuple(self.creates),
                          reviews=tuple(self.reviews))

    def row(self, line: LineResult, status: str, **kw: Any) -> None:
        self.rows.append(OfflineRow(content_hash=self.hash, line=line.line, outcome=line.outcome, status=status,
                                    fields=line.fields, **kw))

    def add(self, line: LineResult, decision: Decision | None) -> None:
        if decision is None or line.outcome == "duplicate" or decision.decision == "duplicate":
            reason = line.reason or (f"same person as record {decision.duplicate_of}" if decision else "")
            self.row(line, "duplicate" if decision else line.outcome, reason=reason)
        elif decision.decision == "review":
            key = review_key(self.hash, line.line)
            candidates = tuple(decision.candidates or ((decision.existing_id,) if decision.existing_id else ()))
            self.reviews.append(ReviewItem(hubspot_id=key, candidates=candidates,
                                           reason=f"offline record line {line.line}: {decision.evidence_text()}"))
            self.row(line, "review", target=decision.existing_id, reason=decision.evidence_text())
        elif decision.decision == "merge" and decision.existing_id:
            self.merge(line, decision.existing_id, decision.evidence_text())
        else:
            self.create(line, None, "create: " + (decision.evidence_text() or "no existing person matched"))

    def merge(self, line: LineResult, target: str, why: str) -> None:
        kind, _, rid = target.partition(":")
        hubspot_id = rid if kind == "hs" else self.targets.linked.get(rid)
        if hubspot_id is None:
            obj, fields = self.targets.mirror.get(rid, ("Lead", {}))
            self.create(line, (obj, rid), f"merge into Salesforce {obj} {rid}: {why}", email=fields.get("Email"))
            return
        self.events.append(offline_event(self.hash, line.line, line.fields, hubspot_id, self.now))
        self.fill(hubspot_id, line)
        self.row(line, "merged", hubspot_id=hubspot_id, target=target, reason=why)

    def fill(self, hubspot_id: str, line: LineResult) -> None:
        current = dict((self.updates.get(hubspot_id).properties if hubspot_id in self.updates
                        else self.targets.contacts.get(hubspot_id)) or {})
        if not current:
            return
        new = {p: v for p, v in contact_properties(line.fields).items() if p != "email" and not current.get(p)}
        if not new:
            return
        source = f"{line.fields.get('lead_source') or 'offline'} line {line.line}"
        self.fills += [FieldFill(hubspot_id=hubspot_id, field=p, value=v, source=source) for p, v in new.items()]
        self.updates[hubspot_id] = HubSpotContact(id=hubspot_id, properties={**current, **new}, updated_at=self.now)

    def create(self, line: LineResult, sf_target: tuple[str, str] | None, why: str, *,
               email: str | None = None) -> None:
        fields = dict(line.fields)
        if email:  # the existing record's address survives: it is how the cycle finds it
            fields["email"] = email
        held = consent_allows(fields, self.policy)
        target = f"sf:{sf_target[1]}" if sf_target else None
        if held is not None:
            self.row(line, "held", target=target, reason=f"{why}; not created: {held}")
            return
        self.creates.append(Create(content_hash=self.hash, line=line.line, outcome=line.outcome, fields=fields,
                                   properties=contact_properties(fields), sf_target=sf_target))
        self.row(line, "creating", target=target, reason=why)


def created_change(creates: Sequence[Create], results: Sequence[Any], now: datetime
                   ) -> tuple[list[OfflineRow], list[HubSpotContact], list[EngagementEvent], list[Link]]:
    """Rows, contacts, events and links once HubSpot answered the creates (one result each)."""
    rows, contacts, events, links = [], [], [], []
    for c, res in zip(creates, results, strict=True):
        target = f"sf:{c.sf_target[1]}" if c.sf_target else None
        if not res.ok or not res.id:
            rows.append(OfflineRow(content_hash=c.content_hash, line=c.line, outcome=c.outcome, status="failed",
                                   target=target, fields=c.fields,
                                   reason=f"HubSpot refused the contact: {res.error_code}: {res.message}"))
            continue
        status = "merged" if c.sf_target else "created"
        rows.append(OfflineRow(content_hash=c.content_hash, line=c.line, outcome=c.outcome, status=status,
                               hubspot_id=res.id, target=target, fields=c.fields,
                               reason="new HubSpot contact" + (f" for Salesforce {c.sf_target[0]} {c.sf_target[1]}"
                                                               if c.sf_target else "")))
        contacts.append(HubSpotContact(id=res.id, properties=dict(c.properties), updated_at=now))
        events.append(offline_event(c.content_hash, c.line, c.fields, res.id, now))
        if c.sf_target:
            links.append(Link(hubspot_id=res.id, sf_object=c.sf_target[0], sf_id=c.sf_target[1],
                              matched_by="offline"))
    return rows, contacts, events, links
