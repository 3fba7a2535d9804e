"""Headers in six languages to fields, and the suggested mapping written from them."""

from __future__ import annotations

import pytest

from syncd.cli import main
from syncd.offline import load_source_mapping
from syncd.offline.headers import recognise


@pytest.mark.parametrize(("header", "expected"), [
    (("First Name", "Last Name", "Work Email", "Company", "Mobile Phone", "Country"),
     ("first_name", "last_name", "email", "company", "mobile", "country")),
    (("Vorname", "Nachname", "E-Mail-Adresse", "Firma", "Telefon", "PLZ", "Ort", "Straße"),
     ("first_name", "last_name", "email", "company", "phone", "postcode", "city", "street")),
    (("Prénom", "Nom", "Courriel", "Société", "Téléphone", "Code postal", "Ville", "Pays"),
     ("first_name", "last_name", "email", "company", "phone", "postcode", "city", "country")),
    (("Nombre", "Apellidos", "Correo electrónico", "Empresa", "Teléfono", "Cargo", "País"),
     ("first_name", "last_name", "email", "company", "phone", "title", "country")),
    (("Voornaam", "Achternaam", "E-mailadres", "Bedrijf", "Telefoonnummer", "Functie", "Plaats"),
     ("first_name", "last_name", "email", "company", "phone", "title", "city")),
    (("Nome", "Cognome", "Indirizzo email", "Azienda", "Cellulare", "Ruolo", "Città"),
     ("first_name", "last_name", "email", "company", "mobile", "title", "city")),
    (("Vorname", "Name", "E-Mail"), ("first_name", "last_name", "email")),
    (("Full Name", "Email Address (work)", "Company Name"), ("full_name", "email", "company")),
])
def test_headers_recognised(header, expected):
    columns, _ = recognise(header)
    assert tuple(columns[h] for h in header) == expected


def test_suggested_mapping_is_valid_toml_and_neutralised(tmp_path, capsys):
    data = tmp_path / "liste.csv"
    data.write_text("Vorname;Nachname;E-Mail;=cmd|calc;Badge\nJürgen;Weber;j.weber@beispiel.de;x;17\n",
                    encoding="utf-8")
    out = tmp_path / "suggested.toml"
    assert main(["import", str(data), "--check", "--suggest-mapping", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert '"\'=cmd|calc"' in text and '"=cmd' not in text
    mapping = load_source_mapping(out)
    assert mapping.columns == {"Vorname": "first_name", "Nachname": "last_name", "E-Mail": "email"}
    assert "mapping used" in capsys.readouterr().out
