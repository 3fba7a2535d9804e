"""Company names: a display form, and the keys matching compares.

``company_key("Northwind Logistics GmbH & Co. KG")`` is ``"northwind logistics"``: legal
forms go, accents are transliterated, ``&`` reads as ``and``. ``company_acronym`` gives the
initials of a several-word name, so "International Business Machines" meets "IBM".
``domain_label`` turns an email or web domain into the name part an organisation chose
(``northwindlabs`` from ``www.northwindlabs.co.uk``), to compare with a company name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from syncd.normalize.data import free_mail_domains, legal_suffixes
from syncd.normalize.text import clean_text, fold

__all__ = ["clean_company", "company_acronym", "company_key", "domain_label"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Second-level labels under which organisations register (acme.co.uk, acme.com.au).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ltd", "plc", "or", "ne"})
_STOP = frozenset({"the", "and", "of", "de", "der", "la", "le", "du", "des", "et", "und", "y"})


def clean_company(raw: str | None) -> str:
    """The company as written, with whitespace tidied (legal form kept for display)."""
    return clean_text(raw)


@lru_cache(maxsize=131072)
def company_key(raw: str | None) -> str:
    """Folded words of the name without its legal form; ``""`` when nothing is left."""
    text = clean_text(raw).replace("&", " and ").replace("+", " and ")
    words = _join_initials([w for w in (fold(w) for w in _WORD.findall(text)) if w])
    if words and words[0] == "the":
        words = words[1:]
    removed = True
    while removed:  # "GmbH & Co. KG", "Holdings Co. Ltd": forms stack up
        removed = False
        for suffix in legal_suffixes():
            n = len(suffix)
            if len(words) > n and tuple(words[-n:]) == suffix:
                words, removed = words[:-n], True
                break
        if len(words) > 1 and words[-1] == "and":
            words, removed = words[:-1], True
    return " ".join(words)


def _join_initials(words: list[str]) -> list[str]:
    """``S.A.`` and ``B.V.`` arrive as single letters: join each run of them into one word."""
    out: list[str] = []
    in_run = False
    for word in words:
        single = len(word) == 1 and word.isalpha()
        if single and in_run:
            out[-1] += word
        else:
            out.append(word)
        in_run = single or (in_run and single)
    return out


@lru_cache(maxsize=131072)
def company_acronym(key: str) -> str:
    """Initials of a key of two or more words (stop words skipped); ``""`` otherwise."""
    words = [w for w in key.split() if w not in _STOP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


@lru_cache(maxsize=131072)
def domain_label(domain: str | None) -> str:
    """The registrable name of a company domain or URL; ``""`` for free-mail and blanks."""
    host = (domain or "").strip().lower()
    host = re.sub(r"^[a-z]+://", "", host).split("/", 1)[0].split("@")[-1].split(":", 1)[0]
    host = host.removeprefix("www.")
    if not host or "." not in host or host in free_mail_domains():
        return ""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-1]
    return fold(labels[-2])
