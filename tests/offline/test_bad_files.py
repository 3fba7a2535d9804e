"""The bad-file corpus: each file is either refused in one clear line, or read with every
record accounted for; the command never shows a traceback."""

from __future__ import annotations

import json

import pytest

from syncd.cli import main
from syncd.offline import FileRefused, Limits, SourceMapping, import_file

from . import corpus


def outcomes(result) -> dict[int, tuple[str, str | None, str]]:
    return {line.line: (line.outcome, line.column, line.reason) for line in result.lines}


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"  \r\n\r\n", "the file is empty"),
    (corpus.HEADER.encode(), "no data rows after the header on line 1"),
    (corpus.HEADER.encode() + b"\r\n,,,,,\r\n", "no data rows"),
    (corpus.nul_file(), "NUL bytes"),
    (b"anna@northwind.de,Anna,Schmidt\r\nbob@acme.com,Bob,Jones\r\n", "no header: line 1 holds data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
    (b"\xff\xfe" + "a,b\x00c".encode("utf-16-le"), "NUL character"),
])
def test_files_refused_in_one_line(data, message):
    with pytest.raises(FileRefused, match=message) as info:
        import_file(data, name="bad.csv")
    assert "\n" not in str(info.value)


def test_caps_on_size_rows_and_cells():
    with pytest.raises(FileRefused, match="over the cap"):
        import_file(corpus.csv_bytes(corpus.GOOD), name="x.csv", limits=Limits(max_bytes=50))
    with pytest.raises(FileRefused, match="more than 3 data records"):
        import_file(corpus.csv_bytes(*[corpus.GOOD] * 5), name="x.csv", limits=Limits(max_rows=3))
    result = import_file(corpus.huge_field_file(5000), name="x.csv", limits=Limits(max_field=4000))
    assert outcomes(result)[3] == ("rejected", "Notes", "cell is 5000 characters long (the cap is 4000)")
    assert outcomes(result)[2][0] == "imported"


def test_cp1252_detected_and_named():
    result = import_file(corpus.cp1252_file(), name="cards.csv")
    assert (result.encoding, result.encoding_how) == ("cp1252", "charset-normalizer")
    assert result.lines[0].fields["last_name"] == "Müller"
    assert result.lines[0].fields["notes"] == "Très bien – merci"


def test_declared_encoding_that_does_not_fit_is_refused():
    mapping = SourceMapping.model_validate({"source": {"encoding": "utf-8"}, "columns": {
        "First": "first_name", "Last": "last_name", "Email": "email"}})
    with pytest.raises(FileRefused, match=r"not valid utf-8 \(named by the source mapping\): byte \d+ on line 2"):
        import_file(corpus.cp1252_file(), name="cards.csv", mapping=mapping)


def test_mixed_encoding_decoded_line_by_line_and_reported():
    result = import_file(corpus.mixed_encoding_file(), name="mixed.csv")
    assert result.encoding == "mixed: utf-8, and cp1252 on lines 4"
    names = [(line.fields["first_name"], line.fields["last_name"]) for line in result.lines]
    assert names == [("Anna", "Schmidt"), ("José", "García"), ("Zoë", "Lefèvre")]


def test_utf16_with_bom():
    result = import_file(corpus.utf16_file(), name="u16.csv")
    assert result.encoding == "utf-16-le" and result.lines[0].fields["first_name"] == "Zoë"


def test_broken_quoting_rejects_only_its_own_line():
    result = import_file(corpus.broken_quoting_file(), name="q.csv")
    got = outcomes(result)
    assert got[3][0] == "rejected" and got[3][2].startswith("broken quoting: ")
    assert got[5][0] == "rejected" and "text follows a closing quote" in got[5][2]
    assert [got[n][0] for n in (2, 4, 6)] == ["imported"] * 3
    assert sorted(got) == [2, 3, 4, 5, 6]


def test_quoted_multiline_cells_keep_their_first_line():
    result = import_file(corpus.multiline_file(), name="m.csv")
    assert [line.line for line in result.lines] == [2, 4]
    assert result.lines[0].fields["notes"] == "met at booth wants a demo"


def test_ragged_rows():
    got = outcomes(import_file(corpus.ragged_file(), name="r.csv"))
    assert got[3] == ("rejected", "column 7", "the row has 8 cells, the header 6 (a delimiter "
                                              "inside an unquoted cell?)")
    assert got[4][0] == "imported"


def test_semicolons_and_german_headers():
    result = import_file(corpus.semicolon_file(), name="liste.csv")
    assert result.delimiter == ";"
    assert result.mapping.columns == {"Vorname": "first_name", "Nachname": "last_name",
                                      "E-Mail-Adresse": "email", "Firma": "company", "Telefon": "phone"}


def test_formula_injection_neutralised_in_the_report(tmp_path, capsys):
    path = tmp_path / "f.csv"
    path.write_bytes(corpus.formula_file())
    report = tmp_path / "r.json"
    assert main(["import", str(path), "--check", "--report-json", str(report)]) == 0
    lines = json.loads(report.read_text())["lines"]
    first = lines[0]["fields"]
    assert first["first_name"].startswith("'=")
    assert first["company"] == "'@SUM(A1)"
    assert lines[1]["fields"]["notes"] == "'+notes"
    text = report.read_text()
    assert '"=' not in text and '"+' not in text and '"@' not in text and '"-' not in text


def test_workbook_with_several_sheets_needs_a_choice():
    with pytest.raises(FileRefused, match=r"2 sheets with data \(Registrants, Attendees\): choose one with --sheet"):
        import_file(corpus.two_sheet_workbook(), name="w.xlsx")
    result = import_file(corpus.two_sheet_workbook(), name="w.xlsx", sheet="Attendees")
    assert result.sheet == "Attendees" and result.counts()["imported"] == 1
    with pytest.raises(FileRefused, match="no sheet 'Nope'.*Registrants, Attendees, Empty"):
        import_file(corpus.two_sheet_workbook(), name="w.xlsx", sheet="Nope")


def test_workbook_with_title_row_and_merged_group_heading():
    result = import_file(corpus.merged_header_workbook(), name="w.xlsx")
    assert result.mapping.columns == {"Contact First": "first_name", "Contact Last": "last_name",
                                      "E-mail": "email", "Company": "company"}
    assert [line.line for line in result.lines] == [4, 5]
    assert result.lines[1].fields == {"first_name": "Bob", "last_name": "Jones", "email": "bob@acme.com",
                                      "company": "Acme"}
    assert any("title" in note for note in result.notes)


def test_same_content_seen_before_changes_nothing():
    data = corpus.csv_bytes(corpus.GOOD)
    first = import_file(data, name="a.csv")
    again = import_file(data, name="b.csv", seen_hashes=frozenset({first.content_hash}))
    assert again.already_imported is True and first.already_imported is None
    assert import_file(data, name="c.csv", seen_hashes=frozenset()).already_imported is False
    assert [line.outcome for line in again.lines] == ["skipped"]
    assert again.records() == []


@pytest.mark.parametrize("make", [corpus.nul_file, lambda: b"", lambda: corpus.HEADER.encode(),
                                  corpus.two_sheet_workbook])
def test_command_refuses_in_one_line_without_traceback(make, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make())
    assert main(["import", str(path), "--check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "refused" in err


def test_every_record_of_every_corpus_file_has_one_outcome():
    for make in (corpus.cp1252_file, corpus.mixed_encoding_file, corpus.broken_quoting_file,
                 corpus.multiline_file, corpus.ragged_file, corpus.formula_file, corpus.huge_field_file,
                 corpus.utf16_file, corpus.semicolon_file, corpus.merged_header_workbook):
        result = import_file(make(), name="f")
        numbers = [line.line for line in result.lines]
        assert len(numbers) == len(set(numbers)) == result.counts()["records"], make.__name__
        assert sum(v for k, v in result.counts().items() if k != "records") == len(numbers)
