"""Bad and awkward files, built in memory: what real offline lists look like on a bad day."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = "First,Last,Email,Company,Phone,Notes\r\n"
GOOD = "Anna,Schmidt,anna@northwind.de,Northwind GmbH,+49 30 12345678,\r\n"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(rows)).encode(encoding)


def cp1252_file() -> bytes:
    return csv_bytes("Søren,Müller,soren@acme.dk,Café Größe,,Très bien – merci\r\n", encoding="cp1252")


def mixed_encoding_file() -> bytes:
    utf8 = csv_bytes(GOOD, "José,García,jose@acme.es,Acme,,\r\n")
    return utf8 + "Zoë,Lefèvre,zoe@acme.fr,Acme,,\r\n".encode("cp1252")


def broken_quoting_file() -> bytes:
    return csv_bytes(GOOD, 'Bob,"Jones,bob@acme.com,Acme,,\r\n', "Carla,Diaz,carla@acme.com,Acme,,\r\n",
                     'Dan,"Brown"x,dan@acme.com,Acme,,\r\n', "Eve,Stone,eve@acme.com,Acme,,\r\n")


def multiline_file() -> bytes:
    return csv_bytes('Anna,Schmidt,anna@northwind.de,Northwind,,"met at booth\r\nwants a demo"\r\n',
                     "Carla,Diaz,carla@acme.com,Acme,,\r\n")


def ragged_file() -> bytes:
    return csv_bytes(GOOD, "Bob,Jones,bob@acme.com,Acme,,,extra,cells\r\n", "Carla,Diaz,carla@acme.com\r\n")


def formula_file() -> bytes:
    return csv_bytes('"=HYPERLINK(""http://evil"",""x"")",Smith,+1@acme.com,@SUM(A1),-2+3,=cmd|calc\r\n',
                     "Anna,Schmidt,anna@northwind.de,Northwind,,+notes\r\n")


def huge_field_file(size: int = 5000) -> bytes:
    return csv_bytes(GOOD, f"Bob,Jones,bob@acme.com,Acme,,{'x' * size}\r\n")


def nul_file() -> bytes:
    return csv_bytes(GOOD, "Bob,Jo\x00nes,bob@acme.com,Acme,,\r\n")


def utf16_file() -> bytes:
    return b"\xff\xfe" + (HEADER + "Zoë,Lefèvre,zoe@acme.fr,Acme,,\r\n").encode("utf-16-le")


def semicolon_file() -> bytes:
    return ("Vorname;Nachname;E-Mail-Adresse;Firma;Telefon\n"
            "Jürgen;Weber;j.weber@beispiel.de;Beispiel AG;030 1234567\n").encode("utf-8")


def workbook(sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def two_sheet_workbook() -> bytes:
    people = [["Full Name", "Email"], ["Anna Schmidt", "anna@northwind.de"]]
    return workbook({"Registrants": people, "Attendees": people, "Empty": []})


def merged_header_workbook() -> bytes:
    rows = [["Webinar registrants — October", None, None, None],
            ["Contact", None, "E-mail", "Company"],
            ["First", "Last", None, None],
            ["Anna", "Schmidt", "anna@northwind.de", "Northwind"],
            ["Bob", "Jones", "bob@acme.com", "Acme"]]
    return workbook({"Sheet1": rows}, {"Sheet1": ["A1:D1", "A2:B2"]})
