"""Parsing answers: Collections results, Bulk 2.0 result files, describe."""

from __future__ import annotations

import pytest

from connectors.salesforce.bulk import UNPROCESSED, bulk_results
from connectors.salesforce.http import endpoint_name
from connectors.salesforce.results import (collection_results, csv_rows, csv_value, text_lines,
                                           object_schema, parse_bulk_error)
from syncd.models import WriteResult


def test_collection_results_keep_order_and_codes():
    payload = [
        {"id": "00Q000000000001AAA", "success": True, "created": True, "errors": []},
        {"success": False, "errors": [{"statusCode": "STRING_TOO_LONG", "message": "too long",
                                       "fields": ["Title"]}]},
        {"id": "00Q000000000002AAA", "success": True, "created": False, "errors": []},
    ]
    assert collection_results(["a", "b", "c"], payload) == [
        WriteResult(key="a", ok=True, id="00Q000000000001AAA", created=True),
        WriteResult(key="b", ok=False, error_code="STRING_TOO_LONG",
                    message="too long (fields: Title)"),
        WriteResult(key="c", ok=True, id="00Q000000000002AAA", created=False),
    ]


def test_collection_results_refuse_a_count_mismatch():
    with pytest.raises(ValueError, match="1 results for 2 records"):
        collection_results(["a", "b"], [{"success": True}])


@pytest.mark.parametrize(("cell", "code", "message"), [
    ("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
     "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName] (fields: LastName)"),
    ("DUPLICATES_DETECTED:Use one of these records?: --", "DUPLICATES_DETECTED",
     "Use one of these records?"),
    ("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record", "UNABLE_TO_LOCK_ROW",
     "unable to obtain exclusive access to this record"),
])
def test_bulk_error_cells(cell, code, message):
    assert parse_bulk_error(cell) == (code, message)


def test_bulk_results_match_rows_back_by_key_even_with_repeated_keys():
    successful = csv_rows('sf__Id,sf__Created,HubSpot_Id__c,LastName\n'
                          '00Q000000000001AAA,true,1,"Multi\nline"\n'
                          '00Q000000000002AAA,false,2,B\n')
    failed = csv_rows('sf__Id,sf__Error,HubSpot_Id__c,LastName\n'
                      ',STRING_TOO_LONG:too long:LastName --,2,BB\n')
    unprocessed = csv_rows('HubSpot_Id__c,LastName\n3,C\n')
    results = bulk_results(["2", "1", "2", "3", "4"], "HubSpot_Id__c", successful=successful,
                           failed=failed, unprocessed=unprocessed)
    assert [(r.key, r.ok, r.error_code) for r in results] == [
        ("2", True, None), ("1", True, None), ("2", False, "STRING_TOO_LONG"),
        ("3", False, UNPROCESSED), ("4", False, UNPROCESSED)]
    assert results[1].created and not results[0].created
    assert results[4].message == "missing from every Bulk result file"


def test_bulk_results_refuse_a_key_that_was_never_sent():
    with pytest.raises(ValueError, match="not sent"):
        bulk_results(["1"], "HubSpot_Id__c", successful=csv_rows(
            "sf__Id,sf__Created,HubSpot_Id__c\n00Q000000000009AAA,true,9\n"),
            failed=[], unprocessed=[])


@pytest.mark.parametrize(("value", "cell"), [
    (None, "#N/A"), (True, "true"), (False, "false"), (42, "42"), ("x", "x")])
def test_csv_values(value, cell):
    assert csv_value(value) == cell


def test_object_schema_reads_types_lengths_active_picklist_values_and_external_ids():
    schema = object_schema({"name": "Lead", "fields": [
        {"name": "HubSpot_Id__c", "type": "string", "length": 32, "externalId": True,
         "updateable": True},
        {"name": "Buying_Intent__c", "type": "picklist", "length": 255, "updateable": True,
         "picklistValues": [{"value": "passive", "active": True},
                            {"value": "old", "active": False}, {"value": "active"}]},
        {"name": "IsConverted", "type": "boolean", "length": 0, "updateable": False},
    ]})
    assert schema.fields["HubSpot_Id__c"].external_id
    assert schema.fields["Buying_Intent__c"].picklist == ("passive", "active")
    assert schema.fields["IsConverted"].length is None
    assert not schema.fields["IsConverted"].updateable


@pytest.mark.parametrize(("method", "url", "name"), [
    ("get", "https://x.test/services/data/v59.0/query?q=SELECT+Id", "GET /services/data/vXX.X/query"),
    ("GET", "https://x.test/services/data/v59.0/query/01gD0000002HU6KIAW-2000",
     "GET /services/data/vXX.X/query/{locator}"),
    ("PATCH", "https://x.test/services/data/v61.0/composite/sobjects/Lead/HubSpot_Id__c",
     "PATCH /services/data/vXX.X/composite/sobjects/Lead/HubSpot_Id__c"),
    ("GET", "https://x.test/services/data/v59.0/jobs/ingest/7505e000000AbCdAAK/failedResults/",
     "GET /services/data/vXX.X/jobs/ingest/{id}/failedResults"),
    ("GET", "https://x.test/services/data/v59.0/sobjects/Lead/00Q5e0000000001",
     "GET /services/data/vXX.X/sobjects/Lead/{id}"),
    ("POST", "https://login.test/services/oauth2/token", "POST /services/oauth2/token"),
])
def test_endpoint_names_group_calls_by_route(method, url, name):
    assert endpoint_name(method, url) == name


def test_result_csv_is_read_line_by_line_with_quoted_cells_spanning_lines():
    """Bulk 2.0 result pages are parsed from the text as it is, a line at a time (no copy
    of the whole page): quoted commas, quotes and line breaks inside a cell, CRLF endings
    and a last line without an ending all read back as the cells they were."""
    import csv
    import io

    text = ('Id,Description,Title\n'
            '1,"first line\nsecond, with comma",CEO\r\n'
            '2,"said ""hi""",\n'
            '3,,"last\n\nline"')
    expected = list(csv.DictReader(io.StringIO(text)))
    assert csv_rows(text) == expected
    assert [r["Description"] for r in expected] == ["first line\nsecond, with comma", 'said "hi"', ""]
    assert expected[2]["Title"] == "last\n\nline"
    assert list(text_lines("a\nb")) == ["a\n", "b"]
