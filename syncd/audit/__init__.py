"""The nightly audit: what Salesforce holds under syncd's external id versus what syncd
remembers writing; drift is reported (ids only) and the contacts concerned are re-queued."""

from syncd.audit.drift import AuditFindings, Linked, find_drift
from syncd.audit.run import AuditResult, run_audit

__all__ = ["AuditFindings", "AuditResult", "Linked", "find_drift", "run_audit"]
