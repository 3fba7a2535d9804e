"""Person names: tidy display forms, splitting a full name, and the keys matching compares.

Display forms keep accents (``Søren Müller`` stays so); only names typed all in upper or
all in lower case are re-cased. Keys are transliterated and folded (``sorenmuller``), and
``first_name_groups`` puts a short form and its formal name in one group (Bob = Robert)
using the nickname table shipped with this package.
"""

from __future__ import annotations

import re
from functools import lru_cache

from syncd.normalize.data import nickname_groups
from syncd.normalize.text import clean_text, fold

__all__ = ["clean_name", "first_name_groups", "name_key", "split_full_name"]

_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "ter", "te",
                        "la", "le", "du", "dos", "das", "st", "bin", "al", "el", "y", "zu"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "m", "mme", "mlle",
                     "sr", "sra", "srta", "dhr", "mevr", "sig", "sigra", "dott", "ing", "mag"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba"})
_WORD_START = re.compile(r"(^|[\s\-'’])(\w)")


def clean_name(raw: str | None) -> str:
    """Whitespace tidied; ALL-CAPS or all-lower names re-cased (``O'BRIEN`` → ``O'Brien``)."""
    text = clean_text(raw)
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 1 and (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        text = _recase(text)
    return text


def _recase(text: str) -> str:
    words = []
    for i, word in enumerate(text.lower().split(" ")):
        if i and word in _PARTICLES:
            words.append(word)
            continue
        word = _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), word)
        if re.match(r"^Ma?c[a-z]{3,}", word):
            cut = 3 if word.startswith("Mac") else 2
            word = word[:cut] + word[cut].upper() + word[cut + 1:]
        words.append(word)
    return " ".join(words)


def split_full_name(raw: str | None) -> tuple[str, str]:
    """(first, last) of a full name: "Smith, John", "Dr. John Smith Jr.", "Jan de Vries"."""
    text = clean_name(raw)
    if "," in text:
        last, _, first = text.partition(",")
        first, last = clean_text(first), clean_text(last)
        if first and last and fold(first) not in _SUFFIXES:
            return clean_name(first), clean_name(last)
        text = clean_text(text.replace(",", " "))
    words = text.split(" ") if text else []
    while len(words) > 1 and fold(words[0]) in _TITLES:
        words = words[1:]
    while len(words) > 1 and fold(words[-1]) in _SUFFIXES:
        words = words[:-1]
    if len(words) <= 1:
        return "", (words[0] if words else "")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    # each part on its own: "Olivia NGUYEN" has one part typed in capitals
    return clean_name(" ".join(words[:cut])), clean_name(" ".join(words[cut:]))


_UMLAUTS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


@lru_cache(maxsize=262144)
def name_key(raw: str | None) -> str:
    """Transliterated, lower-case letters only: ``"O'Brien"`` → ``"obrien"``, ``"Ж"`` → ``"zh"``.
    German umlauts written out meet the ones typed (``Mueller`` = ``Müller`` = ``muller``)."""
    key = fold(clean_text(raw))
    for written, plain in _UMLAUTS:
        key = key.replace(written, plain)
    return key


@lru_cache(maxsize=1)
def _groups_by_name() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for row in nickname_groups():
        for name in row:
            out.setdefault(name, set()).add(row[0])
    return {name: tuple(sorted(roots)) for name, roots in out.items()}


@lru_cache(maxsize=131072)
def first_name_groups(key: str) -> tuple[str, ...]:
    """The formal names a folded first name may stand for (itself when none is known):
    ``"bob"`` → ``("robert",)``, ``"alex"`` → ``("alexander", "alexandra")``."""
    if not key:
        return ()
    return _groups_by_name().get(key, (key,))
