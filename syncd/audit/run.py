"""Run the audit: read both sides, find drift, re-queue it, say what was found."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import structlog

from syncd.audit.drift import AuditFindings, find_drift
from syncd.audit.store import linked_records, requeue
from syncd.mapping import FieldMapping
from syncd.ports import CrmGateway

__all__ = ["AuditResult", "owned_fields", "run_audit"]

OBJECTS = ("Lead", "Contact")
_LEAD_EXTRA = ("IsConverted", "ConvertedContactId")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    findings: AuditFindings
    requeued: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.findings.to_dict(), "requeued": self.requeued}


def owned_fields(mapping: FieldMapping, object_name: str) -> frozenset[str]:
    """Fields only syncd writes on ``object_name``: an edit to one of them is drift."""
    names = set(mapping.computed.targets().values()) | {mapping.salesforce.external_id_field}
    names |= {rule.target(object_name) for rule in mapping.fields if rule.rule == "always_hubspot"}
    return frozenset(n for n in names if n)


def run_audit(crm: CrmGateway, engine, mapping: FieldMapping, *,
              stop: threading.Event | None = None) -> AuditResult | None:
    """Audit every record carrying syncd's external id; ``None`` if stopped before the end."""
    log = structlog.get_logger("syncd.audit")
    ext = mapping.salesforce.external_id_field
    owned = {name: owned_fields(mapping, name) for name in OBJECTS}
    records = []
    for name in OBJECTS:
        if stop is not None and stop.is_set():
            log.info("audit.stopped")
            return None
        extra = _LEAD_EXTRA if name == "Lead" else ()
        records += crm.records_with_external_id(name, ext, sorted(owned[name] | set(extra)))
    findings = find_drift(records, linked_records(engine), external_id_field=ext, owned=owned)
    result = AuditResult(findings=findings, requeued=requeue(engine, findings.requeue))
    log.info("audit.completed", **result.to_dict())
    return result
