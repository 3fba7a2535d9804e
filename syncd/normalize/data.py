"""The small tables the normalisers read, shipped as package data (CSV, one row a line)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

__all__ = ["free_mail_domains", "legal_suffixes", "nickname_groups", "role_locals"]


def _rows(name: str) -> list[list[str]]:
    text = resources.files("syncd.normalize").joinpath(name).read_text(encoding="utf-8")
    return [row for row in csv.reader(line for line in text.splitlines()
                                      if line.strip() and not line.startswith("#"))]


@lru_cache(maxsize=1)
def free_mail_domains() -> frozenset[str]:
    """Domains anyone can sign up at: an address there says nothing about an employer."""
    return frozenset(r[0].strip() for r in _rows("free_mail.csv"))


@lru_cache(maxsize=1)
def role_locals() -> frozenset[str]:
    """Local parts of shared mailboxes (``info``, ``sales``, ``kontakt``, …)."""
    return frozenset(r[0].strip() for r in _rows("role_addresses.csv"))


@lru_cache(maxsize=1)
def legal_suffixes() -> tuple[tuple[str, ...], ...]:
    """Company legal forms as folded token sequences, longest first (``pty ltd`` before ``ltd``)."""
    out = {tuple(r[0].split()) for r in _rows("legal_suffixes.csv")}
    return tuple(sorted(out, key=lambda t: (-len(t), t)))


@lru_cache(maxsize=1)
def nickname_groups() -> tuple[tuple[str, ...], ...]:
    """Each row: a formal first name, then the short forms people write for it."""
    return tuple(tuple(c.strip() for c in r if c.strip()) for r in _rows("nicknames.csv"))
