"""``syncd reconcile`` and ``syncd import --existing`` end to end on small files."""

from __future__ import annotations

import csv

from syncd.cli import main
from syncd.reconcile.infer import infer_rules

EXISTING = [
    ["id", "first_name", "last_name", "email", "phone", "company"],
    ["E1", "Robert", "Smith", "robert.smith@northwind.com", "+1 415 555 0101", "Northwind Labs Inc."],
    ["E2", "Anna", "Schmidt", "anna.schmidt@beispiel.de", "+49 30 1234567", "Beispiel GmbH"],
    ["E3", "Priya", "Patel", "ppatel@apexworks.io", "", "Apexworks"],
    ["E4", "Hans", "Weber", "info@weber-bau.de", "", "Weber Bau"],
]
INCOMING = [
    ["id", "first_name", "last_name", "email", "phone", "company"],
    ["I1", "Bob", "Smith", "Robert.Smith+expo@Northwind.com", "(415) 555-0101", "Northwind Labs"],
    ["I2", "Anna", "Schmidt", "", "030 1234567", "Beispiel AG"],
    ["I3", "Carla", "Diaz", "carla@example.org", "", "Example"],
    ["I4", "=HYPERLINK(1)", "Jones", "@evil", "", "+cmd"],
]


def write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_reconcile_writes_one_row_per_incoming_record(tmp_path, capsys):
    e, i = write(tmp_path / "e.csv", EXISTING), write(tmp_path / "i.csv", INCOMING)
    out = tmp_path / "d.csv"
    assert main(["reconcile", "--existing", str(e), "--incoming", str(i), "--id", "id", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert '[fields]\n"first_name" = "first_name"' in printed and "4 incoming records" in printed
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["incoming_id"] for r in rows] == ["I1", "I2", "I3", "I4"]
    assert list(rows[0]) == ["incoming_id", "decision", "existing_id", "match_probability", "evidence"]
    assert (rows[0]["decision"], rows[0]["existing_id"]) == ("merge", "E1")
    assert "deterministic: same email" in rows[0]["evidence"]
    assert rows[2]["decision"] == "create"
    assert rows[3]["incoming_id"] == "I4" and not any(v.startswith(("=", "+", "@", "-")) for v in rows[3].values())


def test_reconcile_with_saved_rules(tmp_path, capsys):
    e, i = write(tmp_path / "e.csv", EXISTING), write(tmp_path / "i.csv", INCOMING)
    rules = tmp_path / "rules.toml"
    rules.write_text('[matching]\nmerge = 0.9\ndefault_region = "US"\n\n[fields]\nemail = "email"\n'
                     'first_name = "first_name"\nlast_name = "last_name"\nphone = "phone"\ncompany = "company"\n')
    out = tmp_path / "d.csv"
    assert main(["reconcile", "--existing", str(e), "--incoming", str(i), "--id", "id", "--rules", str(rules),
                 "--out", str(out)]) == 0
    assert "rules inferred" not in capsys.readouterr().out
    assert len(list(csv.DictReader(out.open()))) == 4


def test_reconcile_refuses_unknown_keys_and_ids_clearly(tmp_path, capsys):
    e, i = write(tmp_path / "e.csv", EXISTING), write(tmp_path / "i.csv", INCOMING)
    rules = tmp_path / "rules.toml"
    rules.write_text('[matching]\nmerj = 0.9\n\n[fields]\nemail = "email"\nphone = "phone"\n')
    assert main(["reconcile", "--existing", str(e), "--incoming", str(i), "--rules", str(rules),
                 "--out", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err
    assert "matching.merj: unknown key" in err and "did you mean 'merge'" in err
    assert main(["reconcile", "--existing", str(e), "--incoming", str(i), "--id", "nope",
                 "--out", str(tmp_path / "d.csv")]) == 2
    assert "no column 'nope' for --id" in capsys.readouterr().err


def test_kinds_inferred_from_names_in_several_languages_and_from_values():
    sample = [{"Vorname": "Jürgen", "Nachname": "Weber", "Courriel": "j@w.de", "tel": "+49 30 1234567",
               "ref": "AB12", "dob": "1980-01-02", "given_name": "x", "bemerkung": "hallo welt"},
              {"Vorname": "Anna", "Nachname": "Schmidt", "Courriel": "a@s.de", "tel": "+49 30 7654321",
               "ref": "CD34", "dob": "1990-03-04", "given_name": "y", "bemerkung": "noch was"}]
    rules = infer_rules(list(sample[0]), sample)
    assert rules.fields == {"Vorname": "first_name", "Nachname": "last_name", "Courriel": "email", "tel": "phone",
                            "ref": "identifier", "dob": "date", "given_name": "text"}


def test_import_with_existing_reports_match_decisions(tmp_path, capsys):
    e = write(tmp_path / "e.csv", EXISTING)
    offline = tmp_path / "scan.csv"
    offline.write_text("First;Last;E-mail;Company;Phone\nBob;Smith;robert.smith@northwind.com;Northwind;\n"
                       "Carla;Diaz;carla@example.org;Example;\n", encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["import", str(offline), "--existing", str(e), "--report-json", str(report)]) == 0
    import json

    lines = json.loads(report.read_text())["lines"]
    assert lines[0]["outcome"] == "merged" and lines[0]["match"]["existing_id"] == "E1"
    assert lines[1]["outcome"] == "imported"
