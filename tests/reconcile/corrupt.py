"""Generated people with known truth, and the ways offline lists corrupt them.

``people`` makes clean CRM records from large synthetic name pools (Zipf-like frequencies,
so common names repeat as in real data); ``corrupt`` types one of them in again the way a
badge scanner, a webinar form or a person copying a business card would: nicknames, typos,
case, missing or private email, plus-tags, swapped name parts, transliteration, another
phone format, the company with or without its legal form. ``dataset`` puts both together.
"""

from __future__ import annotations

import random
from itertools import accumulate
from dataclasses import dataclass

_SYLLABLES = ("an", "be", "ca", "da", "el", "fa", "ga", "ha", "il", "jo", "ka", "la", "ma", "na", "or",
              "pa", "ra", "sa", "ta", "ul", "va", "we", "xi", "ya", "zo", "ber", "son", "man", "ton", "ley",
              "ric", "mund", "ard", "ine", "ette", "sky", "ova", "ez", "ini", "sen", "berg", "stein")
_FORMAL = {"Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate", "Richard": "Rick",
           "James": "Jim", "Margaret": "Peggy", "Michael": "Mike", "Jennifer": "Jen", "Thomas": "Tom",
           "Alexander": "Alex", "Christopher": "Chris", "Daniel": "Dan", "Anthony": "Tony",
           "Joseph": "Joe", "Edward": "Ted", "Andrew": "Andy", "Benjamin": "Ben", "Matthew": "Matt"}
_ACCENTED = {"Jose": "José", "Muller": "Müller", "Zoe": "Zoë", "Soren": "Søren", "Francois": "François",
             "Garcia": "García", "Perez": "Pérez", "Bjorn": "Björn", "Renee": "Renée", "Nunez": "Núñez"}
_LEGAL = ("Inc.", "LLC", "Ltd", "GmbH", "AG", "S.A.", "B.V.", "SAS", "Pty Ltd", "plc")
_FREE = ("gmail.com", "yahoo.com", "outlook.com", "gmx.de", "hotmail.com")
_COUNTRIES = (("1", "US"), ("44", "GB"), ("49", "DE"), ("33", "FR"), ("31", "NL"), ("34", "ES"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Data:
    existing: list[dict]
    existing_ids: list[str]
    incoming: list[dict]
    incoming_ids: list[str]
    truth: dict[str, str | None]   # incoming id → the existing id of the same person (None: new)
    person: dict[str, int]         # any id → person number


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


class Pools:
    """Name and company pools sized for ``n`` people."""

    def __init__(self, rng: random.Random, n: int) -> None:
        firsts = list(_FORMAL) + list(_ACCENTED)[:4] + [_word(rng, 2) for _ in range(max(200, n // 500))]
        lasts = list(_ACCENTED)[4:] + [_word(rng, rng.choice((2, 3))) for _ in range(max(500, n // 20))]
        self.firsts, self.lasts = firsts, lasts
        self.first_w = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(firsts))))
        self.last_w = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(lasts))))
        self.companies = [(_word(rng, 2) + rng.choice(("", " Labs", " Systems", " Group", " Media")),
                           rng.choice(_LEGAL)) for _ in range(max(50, n // 8))]

    def person(self, rng: random.Random, number: int) -> dict:
        first = rng.choices(self.firsts, cum_weights=self.first_w)[0]
        last = rng.choices(self.lasts, cum_weights=self.last_w)[0]
        first, last = _ACCENTED.get(first, first), _ACCENTED.get(last, last)
        name, legal = self.companies[rng.randrange(len(self.companies))]
        domain = name.lower().replace(" ", "") + rng.choice((".com", ".de", ".co.uk", ".io"))
        f, l = _ascii(first).lower(), _ascii(last).lower()
        local = rng.choice((f"{f}.{l}", f"{f[0]}{l}", f"{f}{l[0]}", f"{f}_{l}")) + (str(number) if rng.random() < 0.3 else "")
        email = f"{local}@{domain}" if rng.random() > 0.12 else f"{f}.{l}{number}@{rng.choice(_FREE)}"
        cc, region = rng.choice(_COUNTRIES)
        phone = f"+{cc} {rng.randint(20, 899)} {rng.randint(1000000, 9999999)}" if rng.random() < 0.8 else ""
        return {"first_name": first, "last_name": last, "email": email, "phone": phone,
                "company": f"{name} {legal}" if rng.random() < 0.5 else name, "region": region}


def _ascii(text: str) -> str:
    from unidecode import unidecode

    return unidecode(text)


def _swap_letters(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2:]


def corrupt(rng: random.Random, rec: dict) -> dict:
    """``rec`` typed in again, with one to three kinds of mess."""
    out = dict(rec)
    for _ in range(rng.choice((1, 1, 2, 3))):
        mess = rng.random()
        if mess < 0.12 and out["first_name"] in _FORMAL:
            out["first_name"] = _FORMAL[out["first_name"]]
        elif mess < 0.22:
            out["last_name"] = _swap_letters(rng, out["last_name"])
        elif mess < 0.30:
            out["last_name"] = out["last_name"].upper()
        elif mess < 0.40:
            out["email"] = ""
        elif mess < 0.46 and out["email"]:
            local, _, host = out["email"].partition("@")
            out["email"] = f"{_swap_letters(rng, local)}@{host}"
        elif mess < 0.54 and out["email"]:
            local, _, host = out["email"].partition("@")
            out["email"] = f"{local.upper()}+event@{host.capitalize()}"
        elif mess < 0.58:
            out["first_name"], out["last_name"] = out["last_name"], out["first_name"]
        elif mess < 0.66:
            out["first_name"], out["last_name"] = _ascii(out["first_name"]), _ascii(out["last_name"])
        elif mess < 0.76 and out["phone"]:
            cc = out["phone"].split()[0]
            out["phone"] = out["phone"].replace(cc + " ", "00" + cc[1:] + "-").replace(" ", ".")
        elif mess < 0.84:
            out["phone"] = ""
        elif mess < 0.92:
            name = out["company"].rsplit(" ", 1)[0] if out["company"].endswith(_LEGAL) else out["company"] + " Inc."
            out["company"] = name
        else:
            out["first_name"] = out["first_name"] + "  "
    return out


def dataset(seed: int, *, existing: int, incoming: int, match_share: float = 0.6,
            dup_share: float = 0.05) -> Data:
    """``existing`` clean records and ``incoming`` corrupted ones: ``match_share`` of them are
    existing people, ``dup_share`` repeat an earlier incoming row, the rest are new people."""
    rng = random.Random(seed)
    pools = Pools(rng, existing + incoming)
    ex = [pools.person(rng, i) for i in range(existing)]
    ex_ids = [f"E{i}" for i in range(existing)]
    person = {ex_ids[i]: i for i in range(existing)}
    inc, inc_ids, truth = [], [], {}
    new_number = existing
    for j in range(incoming):
        iid, roll = f"I{j}", rng.random()
        if roll < dup_share and inc:
            k = rng.randrange(len(inc))
            rec, who, target = corrupt(rng, inc[k]), person[inc_ids[k]], truth[inc_ids[k]]
        elif roll < dup_share + match_share:
            k = rng.randrange(existing)
            rec, who, target = corrupt(rng, ex[k]), k, ex_ids[k]
        else:
            rec, who, target = corrupt(rng, pools.person(rng, new_number)), new_number, None
            new_number += 1
        inc.append(rec)
        inc_ids.append(iid)
        truth[iid], person[iid] = target, who
    return Data(existing=ex, existing_ids=ex_ids, incoming=inc, incoming_ids=inc_ids, truth=truth, person=person)
