"""``SalesforceGateway``: the ``CrmGateway`` syncd reads and writes Salesforce through.

Reads are SOQL queries (``IN`` lists split to fit the URI limit); writes are sObject
Collections (200 rows a call, ``allOrNone=false``) or, from ``bulk_threshold`` rows on,
Bulk API 2.0. Every failure is classified once (``errors``); rows failing with a
row-retriable code are sent again, alone, by the one retry layer (``retry``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from syncd.models import CrmRecord, WriteResult
from syncd.ports import ApiUsage, ObjectSchema, RecordBatch

from .changes import changed_people
from .connection import Connection
from .errors import Verdict, make_error
from .http import CallMeter
from .results import crm_record, object_schema
from .retry import RetryPolicy
from .settings import SalesforceClientSettings
from .soql import datetime_literal, in_queries, select
from .writes import Part, write_parts, write_rows

__all__ = ["DEFAULT_FIELDS", "SalesforceGateway"]

_MAPPED = ("HubSpot_Id__c", "Lifecycle_Stage__c", "Lead_Score__c", "Fit_Grade__c",
           "Buying_Intent__c", "Last_Engagement_Date__c")
DEFAULT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "Lead": ("Id", "Email", "FirstName", "LastName", "Phone", "Company", "OwnerId", "Status",
             "IsConverted", "ConvertedContactId", "LastModifiedDate", *_MAPPED),
    "Contact": ("Id", "Email", "FirstName", "LastName", "Phone", "AccountId", "OwnerId",
                "LastModifiedDate", *_MAPPED),
}
"""What ``find_by_emails`` reads unless told otherwise, per object."""

_TASK_FIELDS = ("Id", "Syncd_Key__c", "Status", "IsClosed", "WhoId", "OwnerId")
_USER_FIELDS = ("Id", "Username", "Email", "FirstName", "LastName", "Name", "IsActive")
_STATUS_FIELDS = ("Id", "MasterLabel", "ApiName", "SortOrder", "IsDefault", "IsConverted")


class SalesforceGateway:
    """A ``syncd.ports.CrmGateway`` over simple-salesforce.

    ``sleep`` replaces real waiting between retries (tests pass a recorder).
    """

    def __init__(self, settings: SalesforceClientSettings, *,
                 fields: Mapping[str, Sequence[str]] | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        policy = RetryPolicy(call_attempts=settings.call_retry_attempts,
                             row_attempts=settings.row_retry_attempts,
                             **({"sleep": sleep} if sleep is not None else {}))
        self.settings = settings
        self.fields = {**DEFAULT_FIELDS, **(fields or {})}
        self.meter = CallMeter()
        self.connection = Connection(settings, policy=policy, meter=self.meter)
        self._schemas: dict[str, ObjectSchema] = {}

    # -- reads -------------------------------------------------------------------------

    def _query(self, object_name: str, soql: str) -> list[CrmRecord]:
        rows = self.connection.call("query", lambda sf: sf.query_all(soql)["records"])
        try:
            return [crm_record(object_name, row) for row in rows]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise make_error(Verdict.FATAL, operation="query", message=str(exc)) from None

    def find_by_emails(self, emails: Collection[str], *,
                       fields: Mapping[str, Sequence[str]] | None = None) -> list[CrmRecord]:
        """Unconverted Leads, then Contacts, whose Email matches one of ``emails``.

        SOQL compares text case-insensitively; the list is lower-cased and deduplicated so
        each address is sent once.
        """
        wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
        chosen = {**self.fields, **(fields or {})}
        found: list[CrmRecord] = []
        for object_name, guard in (("Lead", "IsConverted = false AND "), ("Contact", "")):
            columns = _with(chosen[object_name], "Id", "Email")
            head = select(columns, object_name, f"{guard}Email IN (")
            for soql in in_queries(head, wanted, max_chars=self.settings.max_query_chars):
                found += self._query(object_name, soql)
        return found

    def query_changed(self, object_name: str, fields: Sequence[str],
                      since: datetime) -> list[CrmRecord]:
        """Records of ``object_name`` modified after ``since`` (oldest first)."""
        columns = _with(fields, "Id", "LastModifiedDate")
        soql = select(columns, object_name, f"LastModifiedDate > {datetime_literal(since)}",
                      order_by="LastModifiedDate, Id")
        return self._query(object_name, soql)

    def people_changed(self, since: Mapping[str, datetime | None],
                       held: Mapping[str, int] | None = None) -> dict[str, list[CrmRecord]]:
        """Leads and Contacts (and syncd's follow-up Tasks when ``since`` names ``Task``)
        changed at or after ``since[object]`` (all when None), deleted ones included: one
        Composite Batch call, more only for pages past the first. A Lead or Contact read
        whole (no cursor yet: the mirror's first fill) is read by a Bulk API 2.0 query job.
        ``held[object]``: how many rows stamped exactly ``since[object]`` the caller holds;
        those rows are read only when that is no longer their number."""
        out: dict[str, list[CrmRecord]] = {}
        for object_name, records in self.people_pages(since, held):
            out.setdefault(object_name, []).extend(records)
        for object_name in ("Lead", "Contact"):
            if object_name in since and since[object_name] is None:
                out[object_name].sort(key=lambda r: (r.fields.get("SystemModstamp") or "", r.id))
        return out

    def people_pages(self, since: Mapping[str, datetime | None],
                     held: Mapping[str, int] | None = None) -> Iterator[tuple[str, list[CrmRecord]]]:
        """What ``people_changed`` reads, as (object, records) chunks while it reads: an
        object read whole comes in chunks of ``bulk_query_chunk_size`` records in the job's
        order, every object (at least one chunk each, maybe empty)."""
        fields = {o: _with(self.fields.get(o, _TASK_FIELDS), "Id", "SystemModstamp", "IsDeleted")
                  for o in ("Lead", "Contact", "Task") if o in since}
        whole = [o for o in ("Lead", "Contact") if o in since and since[o] is None]
        for object_name in whole:
            yield object_name, []
            yield from ((object_name, chunk) for chunk in self._bulk_chunks(object_name, fields[object_name]))
        rest = {o: f for o, f in fields.items() if o not in whole}
        if rest:
            yield from changed_people(self.connection, rest, since, held).items()

    def bulk_people(self, object_name: str, fields: Sequence[str]) -> list[CrmRecord]:
        """Every ``object_name`` record, deleted ones included, by one Bulk 2.0 ``queryAll``
        job, oldest ``SystemModstamp`` first."""
        records = [r for chunk in self._bulk_chunks(object_name, fields) for r in chunk]
        return sorted(records, key=lambda r: (r.fields.get("SystemModstamp") or "", r.id))

    def _bulk_chunks(self, object_name: str, fields: Sequence[str]) -> Iterator[list[CrmRecord]]:
        from .bulk_query import query_chunks, typed_row

        schema = self.describe(object_name)
        for rows in query_chunks(self.connection.call, object_name, select(fields, object_name),
                                 page_size=self.settings.bulk_query_page_size,
                                 chunk_size=self.settings.bulk_query_chunk_size,
                                 poll_seconds=self.settings.bulk_poll_seconds, sleep=self.connection.policy.sleep):
            yield [crm_record(object_name, typed_row(r, schema, fields)) for r in rows]

    def opportunity_facts(self, account_ids: Collection[str]) -> dict[str, dict[str, bool]]:
        """Per account: ``open`` (an opportunity is open), ``won`` (one was won) and
        ``churned`` (one was won, and the latest closed one, e.g. a renewal, was lost)."""
        wanted = sorted({a for a in account_ids if a})
        closed: dict[str, list[tuple[str, bool]]] = {}
        facts: dict[str, dict[str, bool]] = {}
        head = select(("Id", "AccountId", "IsClosed", "IsWon", "CloseDate"), "Opportunity",
                      "AccountId IN (")
        for soql in in_queries(head, wanted, max_chars=self.settings.max_query_chars):
            for record in self._query("Opportunity", soql):
                f = record.fields
                entry = facts.setdefault(f["AccountId"], {"open": False, "won": False})
                entry["open"] |= not f.get("IsClosed")
                entry["won"] |= bool(f.get("IsWon"))
                if f.get("IsClosed"):
                    closed.setdefault(f["AccountId"], []).append((f.get("CloseDate") or "", bool(f.get("IsWon"))))
        for account, entry in facts.items():
            latest = max(closed.get(account, [("", True)]))
            entry["churned"] = entry["won"] and not latest[1]
        return facts

    def lead_statuses(self) -> list[dict]:
        """The org's Lead Status values in display order (``ApiName``, ``IsConverted``...)."""
        soql = select(_STATUS_FIELDS, "LeadStatus", order_by="SortOrder")
        return [dict(r.fields) for r in self._query("LeadStatus", soql)]

    def users(self) -> list[dict]:
        """Active users (possible record owners)."""
        soql = select(_USER_FIELDS, "User", "IsActive = true", order_by="Username")
        return [dict(r.fields) for r in self._query("User", soql)]

    def queues(self) -> list[dict]:
        """Lead queues (possible record owners)."""
        soql = select(("Id", "Name", "DeveloperName"), "Group", "Type = 'Queue'", order_by="Name")
        return [dict(r.fields) for r in self._query("Group", soql)]

    def describe(self, object_name: str) -> ObjectSchema:
        """Fields of ``object_name``: type, length, picklist values (cached per object)."""
        if object_name not in self._schemas:
            payload = self.connection.call(
                "describe", lambda sf: sf.restful(f"sobjects/{object_name}/describe"))
            self._schemas[object_name] = object_schema(payload)
        return self._schemas[object_name]

    def usage(self) -> ApiUsage:
        """HTTP calls made so far, by endpoint, and the org's remaining daily allocation."""
        return ApiUsage(calls=dict(self.meter.calls), remaining=self.meter.remaining)

    # -- writes ------------------------------------------------------------------------

    def upsert(self, object_name: str, external_id_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Upsert on ``external_id_field``; one result per row, in order (key: its value)."""
        return write_rows(self.connection, object_name, "upsert", external_id_field, rows)

    def update(self, object_name: str, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Update rows carrying ``Id``; one result per row, in order (key: the Id)."""
        return write_rows(self.connection, object_name, "update", "Id", rows)

    def write_records(self, batches: Sequence[RecordBatch]) -> list[list[WriteResult]]:
        """Several upserts and updates sharing Composite calls of Collections (Bulk 2.0 for a
        batch past the threshold); per batch one result per row, in order."""
        return write_parts(self.connection, [Part(b.object_name, b.operation, b.key_field, b.rows) for b in batches])

    def upsert_tasks(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Upsert Tasks on ``Syncd_Key__c``, so a follow-up task is never created twice."""
        return write_rows(self.connection, "Task", "upsert", "Syncd_Key__c", rows)

    def tasks_by_key(self, keys: Collection[str]) -> dict[str, CrmRecord]:
        """The Tasks among ``keys`` that exist: one query per URL-sized group of keys."""
        head = select(list(_TASK_FIELDS), "Task", "Syncd_Key__c IN (")
        found: dict[str, CrmRecord] = {}
        for soql in in_queries(head, sorted(set(keys)), max_chars=self.settings.max_query_chars):
            found.update((str(r.fields.get("Syncd_Key__c")), r) for r in self._query("Task", soql))
        return found

    def records_with_external_id(self, object_name: str, external_id_field: str,
                                 fields: Sequence[str]) -> list[CrmRecord]:
        """Every record carrying ``external_id_field`` (converted Leads too), in Id order."""
        columns = _with(fields, "Id", "Email", external_id_field)
        soql = select(columns, object_name, f"{external_id_field} != null", order_by="Id")
        return self._query(object_name, soql)


def _with(fields: Sequence[str], *required: str) -> list[str]:
    """``fields`` with ``required`` first, each once."""
    return list(dict.fromkeys([*required, *fields]))
