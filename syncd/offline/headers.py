"""Column headers in English, German, French, Spanish, Dutch and Italian to field names.

Headers are compared folded (``"E-Mail-Adresse"`` → ``"emailadresse"``); a qualifier such as
"work", "geschäftlich" or "professionnel" and text in brackets are ignored when the plain
header is not known. One context rule: a "Name" column next to a first-name column and no
last-name column is the last name (German forms say "Vorname" / "Name").
"""

from __future__ import annotations

import re

from syncd.normalize.text import fold

__all__ = ["recognise"]

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("first", "firstname", "first name", "given name", "forename", "fname", "vorname",
                   "prénom", "prenom", "nombre", "nombre de pila", "voornaam", "roepnaam", "nome"),
    "last_name": ("last", "lastname", "last name", "surname", "family name", "lname", "nachname",
                  "familienname", "nom", "nom de famille", "apellido", "apellidos", "achternaam",
                  "familienaam", "cognome"),
    "full_name": ("name", "full name", "fullname", "contact name", "contact", "attendee",
                  "attendee name", "registrant", "registrant name", "person", "vollständiger name",
                  "kontakt", "nom complet", "nom et prénom", "nombre completo", "nombre y apellidos",
                  "naam", "volledige naam", "nome completo", "nome e cognome", "nominativo"),
    "salutation": ("salutation", "anrede", "civilité", "civilite", "tratamiento", "aanhef", "saluto"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "emailadresse",
              "e-mail-adresse", "courriel", "adresse e-mail", "adresse email", "adresse électronique",
              "correo", "correo electrónico", "email de contacto", "e-mailadres", "emailadres",
              "posta elettronica", "indirizzo email", "indirizzo e-mail"),
    "phone": ("phone", "phone number", "telephone", "telephone number", "tel", "tel.", "telefon",
              "telefonnummer", "téléphone", "numéro de téléphone", "teléfono", "telefono",
              "número de teléfono", "telefoon", "telefoonnummer", "numero di telefono"),
    "mobile": ("mobile", "mobile phone", "mobile number", "cell", "cell phone", "handy", "mobil",
               "mobilnummer", "mobiltelefon", "portable", "téléphone portable", "móvil", "movil",
               "celular", "mobiel", "mobiel nummer", "gsm", "cellulare"),
    "company": ("company", "company name", "organization", "organisation", "account", "account name",
                "employer", "firma", "firmenname", "unternehmen", "société", "societe", "entreprise",
                "nom de la société", "empresa", "compañía", "nombre de la empresa", "bedrijf",
                "bedrijfsnaam", "organisatie", "azienda", "società", "ragione sociale"),
    "title": ("title", "job title", "jobtitle", "position", "role", "job", "job role",
              "berufsbezeichnung", "funktion", "titel", "poste", "fonction", "titre", "cargo",
              "puesto", "functie", "functietitel", "ruolo", "qualifica", "posizione", "mansione"),
    "department": ("department", "abteilung", "département", "departamento", "afdeling", "reparto"),
    "website": ("website", "web site", "url", "homepage", "web", "webseite", "site web", "site",
                "sitio web", "página web", "sito web", "sito"),
    "street": ("address", "street", "street address", "address line 1", "straße", "strasse",
               "adresse", "anschrift", "rue", "dirección", "direccion", "calle", "adres", "straat",
               "indirizzo", "via"),
    "postcode": ("zip", "zip code", "zipcode", "postal code", "postcode", "post code", "plz",
                 "postleitzahl", "code postal", "cp", "código postal", "codigo postal", "cap",
                 "codice postale"),
    "city": ("city", "town", "stadt", "ort", "ville", "ciudad", "localidad", "población", "stad",
             "plaats", "woonplaats", "città", "citta", "comune", "località"),
    "state": ("state", "province", "region", "county", "bundesland", "région", "provincia",
              "provincie", "regione"),
    "country": ("country", "country/region", "land", "pays", "país", "pais", "paese", "nazione"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "notizen", "notiz", "bemerkungen",
              "bemerkung", "kommentar", "anmerkungen", "remarques", "commentaires", "commentaire",
              "notas", "comentarios", "observaciones", "opmerkingen", "notities", "commenti",
              "osservazioni"),
    "lead_source": ("lead source", "source", "quelle", "herkunft", "origine", "origen", "fuente",
                    "bron", "fonte"),
    "campaign": ("campaign", "kampagne", "campagne", "campaña", "campana", "campagna"),
    "event_date": ("date", "scanned at", "scan date", "scan time", "registered at", "registration date",
                   "registration time", "event date", "datum", "scandatum", "anmeldedatum",
                   "date d'inscription", "fecha", "fecha de registro", "data", "data di registrazione"),
    "consent": ("consent", "opt in", "opt-in", "optin", "marketing consent", "gdpr consent",
                "einwilligung", "zustimmung", "consentement", "consentimiento", "toestemming",
                "consenso"),
    "hand_raise": ("wants a demo", "demo request", "request a demo", "demo", "follow up",
                   "follow-up", "interest", "interested", "demo gewünscht", "rückruf",
                   "demande de démo", "solicitud de demo", "demo aanvraag", "richiesta demo"),
    "attended": ("attended", "attendance", "teilgenommen", "teilnahme", "présent", "a participé",
                 "asistió", "asistio", "aanwezig", "presente", "partecipato"),
    "external_id": ("id", "record id", "contact id", "lead id", "badge id", "badge number"),
}
_QUALIFIERS = ("work", "business", "office", "primary", "main", "private", "personal",
               "geschäftlich", "geschaeftlich", "dienstlich", "privat", "professionnel",
               "professionnelle", "trabajo", "werk", "zakelijk", "lavoro", "aziendale", "contact")
_LOOKUP = {fold(s): field for field, words in _SYNONYMS.items() for s in words}
_FOLDED_QUALIFIERS = tuple(fold(q) for q in _QUALIFIERS)


def _field_of(header: str) -> str | None:
    key = fold(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    plain = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", header))
    if plain in _LOOKUP:
        return _LOOKUP[plain]
    for q in _FOLDED_QUALIFIERS:
        for rest in (plain.removeprefix(q), plain.removesuffix(q)):
            if rest != plain and rest in _LOOKUP:
                return _LOOKUP[rest]
    return None


def recognise(header: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """({column: field}, notes). The first column for a field wins; later ones are noted."""
    columns: dict[str, str] = {}
    notes: list[str] = []
    taken: dict[str, str] = {}
    for col in header:
        if not col:
            continue
        field = _field_of(col)
        if field is None:
            continue
        if field in taken:
            notes.append(f"column {col!r} also looks like {field}; {taken[field]!r} is used")
            continue
        columns[col], taken[field] = field, col
    if "first_name" in taken and "full_name" in taken and "last_name" not in taken:
        col = taken.pop("full_name")
        columns[col] = "last_name"
        notes.append(f"column {col!r} read as last_name (next to a first-name column)")
    return columns, notes
