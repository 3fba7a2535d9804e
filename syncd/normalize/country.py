"""Countries to ISO 3166 alpha-2 codes, from names in English, German, French, Spanish,
Dutch and Italian, alpha-2/alpha-3 codes and a few everyday aliases ("UK", "USA",
"Holland"). Names come from the number-plan locale data ``phonenumbers`` ships and from
pycountry, so no table of our own has to be kept in step with the world."""

from __future__ import annotations

from functools import lru_cache

from syncd.normalize.errors import Invalid
from syncd.normalize.text import fold

__all__ = ["normalize_country"]

_LANGUAGES = ("en", "de", "fr", "es", "nl", "it")
_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "greatbritain": "GB",
            "grossbritannien": "GB", "usa": "US", "us": "US", "unitedstatesofamerica": "US",
            "america": "US", "vereinigtestaaten": "US", "etatsunis": "US", "holland": "NL",
            "thenetherlands": "NL", "hollande": "NL", "schweiz": "CH", "suisse": "CH",
            "svizzera": "CH", "osterreich": "AT", "oesterreich": "AT", "deutschland": "DE",
            "brd": "DE", "uae": "AE", "southkorea": "KR", "russia": "RU"}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    import pycountry
    from phonenumbers.geodata.locale import LOCALE_DATA

    table: dict[str, str] = {}
    for code, names in LOCALE_DATA.items():
        if len(code) != 2 or not code.isalpha():
            continue
        for lang in _LANGUAGES:
            name = names.get(lang, "")
            while name.startswith("*"):  # "*aa": same as that language's entry
                name = names.get(name[1:], "")
            if name:
                table.setdefault(fold(name), code)
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")):
            if name:
                table.setdefault(fold(name), c.alpha_2)
        table[c.alpha_3.lower()] = c.alpha_2
        table[c.alpha_2.lower()] = c.alpha_2
    table.update(_ALIASES)
    return table


@lru_cache(maxsize=4096)
def normalize_country(raw: str | None) -> str:
    """The ISO alpha-2 code of ``raw``; ``Invalid`` when it names no country we know."""
    key = fold(raw or "")
    if not key:
        raise Invalid("no country")
    code = _table().get(key)
    if code is None:
        raise Invalid(f"unknown country {raw.strip()!r} (use a name in EN/DE/FR/ES/NL/IT or an "
                      "ISO code such as DE or DEU)")
    return code
