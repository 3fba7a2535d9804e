"""SOQL: parser errors, the supported grammar, and evaluation over a small org."""

from __future__ import annotations

from datetime import date

import pytest

from syncd_sandbox.salesforce import SalesforceState
from syncd_sandbox.salesforce.errors import ApiError
from syncd_sandbox.salesforce.soql_eval import compile_query
from syncd_sandbox.salesforce.soql_parser import parse

from .conftest import lead, small_seed


def _seed() -> dict:
    seed = small_seed(0)
    seed["leads"] = [
        {k: v for k, v in lead(1, Email="Ann@Example.com", Lead_Score__c=40).items() if v},
        {k: v for k, v in lead(2, Email="bob@example.org", Lead_Score__c=75,
                               CreatedDate="2026-02-01T10:00:00.000Z").items() if v},
        {k: v for k, v in lead(3, Status="Nurture", Lead_Score__c=None).items()
         if v is not None},
        {k: v for k, v in lead(4, Email=None, Status="Unqualified", Lead_Score__c=10,
                               FirstName="O'Neil").items() if v is not None},
    ]
    return seed


@pytest.fixture(scope="module")
def state() -> SalesforceState:
    return SalesforceState.from_seed(_seed())


def run(state: SalesforceState, soql: str) -> list:
    plan = compile_query(soql, parse(soql), state.schemas, state.store.lookup, "v59.0")
    rows = plan.run(r for r in state.store.tables[plan.object_name].values()
                    if not r["IsDeleted"])
    return len(rows) if plan.count_only else [plan.project(r) for r in rows]


def last_names(rows: list) -> list[str]:
    return [r["LastName"] for r in rows]


@pytest.mark.parametrize(("where", "expected"), [
    ("Email = 'ann@example.com'", ["Last1"]),                 # case-insensitive on Email
    ("Email != null", ["Last1", "Last2", "Last3"]),
    ("Email = null", ["Last4"]),
    ("Lead_Score__c > 30", ["Last1", "Last2"]),
    ("Lead_Score__c <= 40", ["Last1", "Last4"]),
    ("Status IN ('Nurture', 'Unqualified')", ["Last3", "Last4"]),
    ("Status NOT IN ('Nurture', 'Unqualified')", ["Last1", "Last2"]),
    ("Email LIKE '%@EXAMPLE.%'", ["Last1", "Last2", "Last3"]),
    ("LastName LIKE 'Last_'", ["Last1", "Last2", "Last3", "Last4"]),
    ("NOT Email LIKE '%.org'", ["Last1", "Last3", "Last4"]),
    ("(Lead_Score__c > 50 OR Status = 'Nurture') AND Email != null", ["Last2", "Last3"]),
    ("CreatedDate > 2026-01-15T00:00:00Z", ["Last2"]),
    ("CreatedDate >= 2026-01-01T01:00:00+01:00", ["Last1", "Last2", "Last3", "Last4"]),
    ("FirstName = 'O\\'Neil'", ["Last4"]),
    ("IsConverted = false AND Owner.Name = 'Olive Owner' AND Lead_Score__c >= 10",
     ["Last1", "Last2", "Last4"]),
])
def test_where(state, where, expected):
    assert last_names(run(state, f"SELECT LastName FROM Lead WHERE {where}")) == expected


@pytest.mark.parametrize(("tail", "expected"), [
    ("ORDER BY Lead_Score__c", ["Last3", "Last4", "Last1", "Last2"]),           # nulls first
    ("ORDER BY Lead_Score__c DESC", ["Last2", "Last1", "Last4", "Last3"]),      # nulls last
    ("ORDER BY Lead_Score__c ASC NULLS LAST", ["Last4", "Last1", "Last2", "Last3"]),
    ("ORDER BY Status DESC, LastName ASC LIMIT 3", ["Last4", "Last1", "Last2"]),
    ("ORDER BY LastName LIMIT 2 OFFSET 1", ["Last2", "Last3"]),
])
def test_order_limit_offset(state, tail, expected):
    assert last_names(run(state, f"SELECT LastName FROM Lead {tail}")) == expected


def test_count_and_projection(state):
    assert run(state, "SELECT COUNT() FROM Lead WHERE Email != null") == 3
    row = run(state, "SELECT Id, Email, Owner.Name FROM Lead WHERE LastName = 'Last1'")[0]
    assert list(row) == ["attributes", "Id", "Email", "Owner"]
    assert row["attributes"] == {"type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{row['Id']}"}
    assert row["Owner"]["Name"] == "Olive Owner"
    assert row["Owner"]["attributes"]["type"] == "User"


@pytest.mark.parametrize(("soql", "code", "column"), [
    ("SELECT Id, Fooo FROM Lead", "INVALID_FIELD", 12),
    ("SELECT Id FROM Lead WHERE Nope__c = 'x'", "INVALID_FIELD", 27),
    ("SELECT Id, Boss.Name FROM Lead", "INVALID_FIELD", 12),
    ("SELECT Id FROM Leed", "INVALID_TYPE", 16),
    ("SELECT Id FROM Lead WHERE", "MALFORMED_QUERY", 26),
    ("SELECT Id Lead", "MALFORMED_QUERY", 11),
    ("SELECT Id FROM Lead WHERE Email = 'a' AND LastName = 'b' OR Status = 'c'",
     "MALFORMED_QUERY", 58),
    ("SELECT Id FROM Lead WHERE Email = 'unterminated", "MALFORMED_QUERY", 35),
    ("SELECT Id FROM Lead LIMIT 'x'", "MALFORMED_QUERY", 27),
    ("SELECT Id FROM Lead WHERE Lead_Score__c = '5'", "INVALID_QUERY_FILTER_OPERATOR", 43),
    ("SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01", "INVALID_QUERY_FILTER_OPERATOR", 41),
    ("SELECT Id FROM Lead WHERE Email = 5", "INVALID_QUERY_FILTER_OPERATOR", 35),
])
def test_errors_name_code_and_column(state, soql, code, column):
    with pytest.raises(ApiError) as caught:
        run(state, soql)
    err = caught.value
    assert (err.status, err.errors[0].code) == (400, code)
    assert f"ERROR at Row:1:Column:{column}" in err.errors[0].message


def test_invalid_field_message_matches_salesforce(state):
    with pytest.raises(ApiError) as caught:
        run(state, "SELECT Id, Fooo FROM Lead")
    assert "No such column 'Fooo' on entity 'Lead'." in caught.value.errors[0].message


@pytest.mark.parametrize(("where", "expected"), [
    ("CreatedDate = TODAY", ["Last2"]),
    ("CreatedDate = LAST_N_DAYS:3", ["Last2"]),
    ("CreatedDate < LAST_N_DAYS:3", ["Last1", "Last3", "Last4"]),
    ("CreatedDate > YESTERDAY", ["Last2"]),
    ("CreatedDate = N_DAYS_AGO:31", ["Last1", "Last3", "Last4"]),
    ("CreatedDate >= NEXT_N_DAYS:2", []),
])
def test_relative_date_literals(state, where, expected):
    soql = f"SELECT LastName FROM Lead WHERE {where}"
    plan = compile_query(soql, parse(soql), state.schemas, state.store.lookup, "v59.0",
                         date(2026, 2, 1))
    rows = plan.run(state.store.tables["Lead"].values())
    assert last_names(rows) == expected


def test_relative_literal_on_a_text_field_is_refused(state):
    with pytest.raises(ApiError) as caught:
        run(state, "SELECT Id FROM Lead WHERE Email = TODAY")
    assert caught.value.errors[0].code == "INVALID_QUERY_FILTER_OPERATOR"
