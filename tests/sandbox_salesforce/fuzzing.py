"""Hypothesis strategies and the answer check for fuzzing the Salesforce emulator.

Salesforce publishes no OpenAPI document, so the requests are built from what its REST and
Bulk API 2.0 guides describe (sObject Collections, record create/update/upsert, ingest and
query jobs, SOQL), mixed with arbitrary JSON, text and CSV. Whatever is sent, the emulator
must answer as Salesforce does: never a 5xx, and every error a JSON array of
``{"message", "errorCode"}`` objects.
"""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import strategies as st

__all__ = ["OBJECTS", "check_answer", "csv_text", "json_values", "records", "soql",
           "sobject"]

OBJECTS = ("Lead", "Contact", "Account", "Task", "Event", "Opportunity", "User", "Group",
           "LeadStatus")
FIELDS = ("Id", "FirstName", "LastName", "Email", "Company", "Status", "OwnerId", "WhoId",
          "Subject", "Priority", "ActivityDate", "Syncd_Key__c", "HubSpot_Id__c",
          "Lead_Score__c", "IsConverted", "CreatedDate", "SystemModstamp", "AccountId",
          "Name", "StageName", "CloseDate", "Amount", "Phone", "MobilePhone", "City",
          "LastActivityDate", "IsDeleted", "attributes", "Owner.Name", "Account.Name")
SAMPLE_VALUES = ("00Q5e000000000AAAA", "0055e000001AAAAAAA", "005000000000000", "2026-03-02",
                 "2026-03-02T09:00:00.000Z", "Open - Not Contacted", "Completed", "High",
                 "x@example.com", "#N/A", "", "true", "1e309", "-0", "null")

_scalars = (st.none() | st.booleans() | st.integers(-(10 ** 20), 10 ** 20)
            | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
            | st.sampled_from(SAMPLE_VALUES))
json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=6)
names = st.sampled_from(OBJECTS) | st.text(max_size=12)
field_names = st.sampled_from(FIELDS) | st.sampled_from(FIELDS).map(str.lower) | st.text(max_size=12)


def sobject(types: Any = names) -> st.SearchStrategy:
    """An sObject as a Collections or REST body carries it, often almost right."""
    attributes = st.fixed_dictionaries({"type": types}) | json_values
    fields = st.dictionaries(field_names, _scalars | json_values, max_size=5)
    return st.one_of(
        st.builds(lambda a, f: {"attributes": a, **f}, attributes, fields),
        fields, json_values)


def records(types: Any = names) -> st.SearchStrategy:
    """A Collections body: ``{"allOrNone", "records": [...]}``, or something else."""
    body = st.fixed_dictionaries({"records": st.lists(sobject(types), max_size=4) | json_values},
                                 optional={"allOrNone": st.booleans() | json_values})
    return body | json_values


def csv_text() -> st.SearchStrategy:
    """CSV uploads: a header of field names and rows of cells, or garbage text."""
    cell = (st.sampled_from(SAMPLE_VALUES) | st.text(max_size=12)).map(
        lambda v: v if not any(c in v for c in ',"\n\r') else '"' + v.replace('"', '""') + '"')
    header = st.lists(st.sampled_from(FIELDS) | st.text(string.ascii_letters, max_size=8),
                      min_size=1, max_size=4)
    table = st.builds(lambda h, rows: "\n".join([",".join(h), *(",".join(r) for r in rows)]),
                      header, st.lists(st.lists(cell, min_size=1, max_size=5), max_size=4))
    return table | st.text(max_size=60)


_soql_fields = st.lists(st.sampled_from(FIELDS) | st.text(string.ascii_letters + "._", min_size=1,
                                                          max_size=10), min_size=1, max_size=4)
_literals = st.sampled_from([
    "'x'", "'O\\'Neil'", "null", "true", "FALSE", "42", "-3.5", "2026-03-02",
    "2026-03-02T09:00:00Z", "2026-03-02T09:00:00.000+0000", "TODAY", "LAST_N_DAYS:7",
    "'Open - Not Contacted'", "'0055e000001AAAAAAA'", "('a','b')", "(1, 2)", "'%x_'", "1e3"])
_ops = st.sampled_from(["=", "!=", "<>", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN",
                        "INCLUDES", "=="])


def _condition() -> st.SearchStrategy:
    simple = st.builds(lambda f, o, v: f"{f} {o} {v}", st.sampled_from(FIELDS), _ops, _literals)
    return st.recursive(simple, lambda inner: st.builds(
        lambda a, j, b: f"({a} {j} {b})", inner, st.sampled_from(["AND", "OR", "and"]), inner)
        | inner.map(lambda c: f"NOT {c}"), max_leaves=4)


_TYPED = {"string": ["'x'", "'O\\'Neil'", "'%a_'", "null"], "email": ["'a@b.co'", "null"],
          "phone": ["'+1 555'"], "picklist": ["'Open - Not Contacted'", "'Completed'", "null"],
          "textarea": ["'x'"], "url": ["'https://x.io'"], "boolean": ["true", "FALSE"],
          "double": ["42", "-3.5"], "int": ["7"], "currency": ["1.5"],
          "reference": ["'0055e000001AAAAAAA'", "null"], "id": ["'00Q5e000000001AAAA'"],
          "date": ["2026-03-02", "TODAY", "LAST_N_DAYS:7"],
          "datetime": ["2026-03-02T09:00:00Z", "2026-03-02T09:00:00.000+0000", "YESTERDAY"]}


def _typed_query() -> st.SearchStrategy:
    """A query the emulator's grammar and schema accept: the right field for each literal."""
    from syncd_sandbox.salesforce.schema_data import DEFAULT_SCHEMA, SYSTEM_FIELDS

    def for_object(obj: str) -> st.SearchStrategy:
        fields = {**SYSTEM_FIELDS, **DEFAULT_SCHEMA[obj]}
        typed = [(n, f.get("type", "string")) for n, f in fields.items()]
        cond = st.sampled_from(typed).flatmap(lambda nt: st.builds(
            lambda op, lit: f"{nt[0]} {op} {lit}",
            st.sampled_from(["=", "!=", "<", ">="] if nt[1] != "boolean" else ["=", "!="]),
            st.sampled_from(_TYPED.get(nt[1], ["'x'"]))))
        where = st.lists(cond, max_size=3).map(lambda cs: f" WHERE {' AND '.join(cs)}" if cs else "")
        select = st.lists(st.sampled_from(list(fields)), min_size=1, max_size=4, unique=True)
        return st.builds(lambda fs, w, lim: f"SELECT {', '.join(fs)} FROM {obj}{w}{lim}",
                         select, where, st.sampled_from(["", " LIMIT 3", " ORDER BY Id LIMIT 2"]))
    return st.sampled_from(["Lead", "Contact", "Task", "Account"]).flatmap(for_object)


def soql() -> st.SearchStrategy:
    """SOQL from the emulator's grammar with wrong parts mixed in, and plain garbage."""
    query = st.builds(
        lambda fs, obj, where, order, limit: (
            f"SELECT {', '.join(fs)} FROM {obj}{where}{order}{limit}"),
        _soql_fields | st.just(["COUNT()"]), st.sampled_from(OBJECTS) | st.text(max_size=6),
        st.none().map(lambda _: "") | _condition().map(lambda c: f" WHERE {c}"),
        st.sampled_from(["", " ORDER BY Id", " ORDER BY Email DESC NULLS LAST",
                         " ORDER BY Owner.Name", " ORDER BY", " ORDER BY 1"]),
        st.sampled_from(["", " LIMIT 5", " LIMIT 0", " LIMIT -1", " LIMIT 2 OFFSET 1",
                         " LIMIT x", " OFFSET 3"]))
    typed = _typed_query()
    return (typed | query | st.text(max_size=80) | query.map(lambda q: q[: len(q) // 2])
            | typed.map(lambda q: q.replace(" ", "  ", 1).replace("WHERE", "WHERE (") ))


def check_answer(status: int, body: bytes, where: str) -> None:
    """Salesforce's answer shape: no 5xx; every error a JSON array of {message, errorCode}."""
    assert status < 500, f"{where}: {status} {body[:300]!r}"
    if status < 400:
        return
    try:
        data = json.loads(body)
    except ValueError:
        raise AssertionError(f"{where}: {status} with a body that is not JSON: {body[:200]!r}")
    assert isinstance(data, list) and data, f"{where}: {status} error body is not an array: {data!r:.200}"
    for item in data:
        assert isinstance(item, dict) and isinstance(item.get("message"), str) \
            and isinstance(item.get("errorCode"), str) and item["errorCode"], \
            f"{where}: {status} error item lacks message/errorCode: {item!r:.200}"
