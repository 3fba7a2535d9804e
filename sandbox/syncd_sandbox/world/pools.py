"""Name, company and contact-detail pools the world draws from.

First names come with the nicknames people write on badges and business cards (William
is "Bill" at a trade show), and some names carry accents that only survive in the right
encoding. Phone numbers are drawn per country and written in the mixed formats real CRMs
accumulate.
"""

from __future__ import annotations

import random

__all__ = [
    "ACCENTED_FIRST", "ACCENTED_LAST", "COUNTRIES", "FIRST_NAMES", "FREE_MAIL", "INDUSTRIES",
    "LAST_NAMES", "NICKNAMES", "PHONE_STYLES", "ROLE_LOCALS", "TITLES", "company_name",
    "format_phone", "phone_number",
]

NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"), "Robert": ("Bob", "Rob", "Bobby"),
    "Elizabeth": ("Liz", "Beth", "Betty"), "Katherine": ("Kate", "Kathy", "Katie"),
    "Richard": ("Rick", "Dick", "Rich"), "James": ("Jim", "Jimmy"),
    "Margaret": ("Maggie", "Peggy", "Meg"), "Michael": ("Mike", "Mick"),
    "Jennifer": ("Jen", "Jenny"), "Thomas": ("Tom", "Tommy"), "Alexander": ("Alex", "Sasha"),
    "Christopher": ("Chris",), "Patricia": ("Pat", "Patty"), "Daniel": ("Dan", "Danny"),
    "Anthony": ("Tony",), "Jonathan": ("Jon",), "Samantha": ("Sam",), "Rebecca": ("Becky",),
    "Nicholas": ("Nick",), "Joseph": ("Joe",), "Susan": ("Sue",), "Edward": ("Ed", "Ted"),
}
FIRST_NAMES: tuple[str, ...] = tuple(NICKNAMES) + (
    "Olivia", "Emma", "Sophia", "Mia", "Noah", "Liam", "Lucas", "Ethan", "Aisha", "Priya",
    "Wei", "Hiroshi", "Fatima", "Carlos", "Lukas", "Anna", "Sara", "David", "Laura", "Mark",
    "Paul", "Julia", "Nina", "Omar", "Ravi", "Chen", "Yuki", "Hannah", "Grace", "Ivan",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
    "Evans", "Turner", "Patel", "Nguyen", "Kim", "Chen", "Singh", "Khan", "Schmidt", "Fischer",
    "Weber", "Meyer", "Wagner", "Becker", "Rossi", "Russo", "Dubois", "Laurent", "Jansen",
    "de Vries", "O'Brien", "McCarthy", "Kowalski", "Novak", "Tanaka", "Sato", "Ivanova",
)
# Only characters cp1252 can encode, so a latin-1 export can carry them.
ACCENTED_FIRST: tuple[str, ...] = (
    "José", "François", "Zoë", "Chloé", "Jürgen", "Björn", "Inés", "Renée", "Søren", "Åsa",
    "Léa", "André", "Müge", "Noël", "Raúl",
)
ACCENTED_LAST: tuple[str, ...] = (
    "Müller", "Sørensen", "García", "Pérez", "Lefèvre", "Schröder", "Jäger", "Núñez",
    "Côté", "Gonçalves", "Åberg", "Strauß", "Fernández", "Böhm", "Hervé",
)
_COMPANY_HEADS = (
    "North", "Blue", "Bright", "Iron", "Silver", "Cedar", "Quantum", "Apex", "Nova", "Summit",
    "Harbor", "Vertex", "Pioneer", "Atlas", "Zenith", "Falcon", "Granite", "Lumen", "Orbit",
    "Polar", "Crimson", "Evergreen", "Keystone", "Meridian", "Solstice", "Tidal", "Velvet",
)
_COMPANY_TAILS = (
    "wind", "peak", "path", "stone", "field", "gate", "bridge", "works", "loop", "forge",
    "line", "spring", "wave", "point", "light", "scale", "stack", "grid",
)
_COMPANY_KINDS = ("Labs", "Systems", "Analytics", "Logistics", "Software", "Health", "Foods",
                  "Energy", "Capital", "Robotics", "Media", "Partners", "", "", "")
# (HubSpot contact "industry" text, Salesforce Account.Industry picklist value)
INDUSTRIES = (("Computer Software", "Technology"), ("IT Services", "Technology"),
              ("Financial Services", "Finance"), ("Hospital & Health Care", "Healthcare"),
              ("Logistics & Supply Chain", "Other"), ("Retail", "Retail"),
              ("Marketing & Advertising", "Consulting"), ("Manufacturing", "Manufacturing"),
              ("Education", "Education"), ("Telecommunications", "Telecommunications"))
TITLES = ("VP Marketing", "Head of Growth", "Marketing Manager", "Demand Generation Manager",
          "Marketing Operations Manager", "RevOps Lead", "Director of Sales", "Sales Manager",
          "CTO", "CEO", "Founder", "Data Analyst", "Software Engineer", "Product Manager",
          "Chief Revenue Officer", "Account Executive", "Procurement Manager", "Student", "")
FREE_MAIL = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com")
ROLE_LOCALS = ("info", "sales", "contact", "hello", "marketing")

# name, calling code, trunk prefix, area codes, subscriber length, TLD, legal suffixes
COUNTRIES: tuple[tuple[str, str, str, tuple[str, ...], int, str, tuple[str, ...]], ...] = (
    ("United States", "1", "", ("415", "212", "617", "312", "512", "206"), 7, "com",
     ("Inc.", "LLC", "Corp.")),
    ("United States", "1", "", ("646", "303", "404", "858"), 7, "io", ("Inc.",)),
    ("Canada", "1", "", ("416", "604", "514"), 7, "ca", ("Inc.", "Ltd.")),
    ("United Kingdom", "44", "0", ("20", "161", "131"), 8, "co.uk", ("Ltd", "plc")),
    ("Germany", "49", "0", ("30", "89", "40", "69"), 8, "de", ("GmbH", "AG")),
    ("France", "33", "0", ("1", "4", "6"), 8, "fr", ("SAS", "SA")),
    ("Netherlands", "31", "0", ("20", "10"), 7, "nl", ("B.V.",)),
    ("Spain", "34", "", ("91", "93"), 7, "es", ("S.L.", "S.A.")),
    ("Australia", "61", "0", ("2", "3"), 8, "com.au", ("Pty Ltd",)),
)


def company_name(rng: random.Random) -> tuple[str, str]:
    """A company's (brand, kind) pair, e.g. ``("Northwind", "Logistics")``."""
    brand = rng.choice(_COMPANY_HEADS) + rng.choice(_COMPANY_TAILS)
    return brand, rng.choice(_COMPANY_KINDS)


def phone_number(rng: random.Random, country: int) -> tuple[str, str, str, str]:
    """A phone number in ``COUNTRIES[country]`` as (calling code, trunk, area, subscriber)."""
    _, cc, trunk, areas, length, _, _ = COUNTRIES[country]
    sub = "".join(str(rng.randint(2 if i == 0 else 0, 9)) for i in range(length))
    return cc, trunk, rng.choice(areas), sub


PHONE_STYLES = 6


def format_phone(number: tuple[str, str, str, str], style: int) -> str:
    """``number`` written in one of ``PHONE_STYLES`` styles real CRMs accumulate."""
    cc, trunk, area, sub = number
    half = len(sub) // 2
    grouped = f"{sub[:3]}-{sub[3:]}" if cc == "1" else f"{sub[:half]} {sub[half:]}"
    style %= PHONE_STYLES
    if style == 0:
        return f"+{cc} {area} {grouped}"
    if style == 1:
        return f"+{cc}{area}{sub}"
    if style == 2:
        return f"({trunk}{area}) {grouped}" if cc == "1" or trunk else f"{area} {grouped}"
    if style == 3:
        return f"{trunk}{area}.{sub[:3]}.{sub[3:]}"
    if style == 4:  # North Americans write a long-distance 1; Europeans the 00 exit code
        return f"1-{area}-{sub[:3]}-{sub[3:]}" if cc == "1" else f"00{cc} {area} {sub}"
    return f"{trunk}{area}{sub}"
