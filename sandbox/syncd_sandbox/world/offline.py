"""Builds the offline lead files and the truth about every row in them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .offline_files import latin1_csv, tradeshow_csv, webinar_xlsx
from .offline_rows import Row, make_rows
from .people import Company, Person, make_person

__all__ = ["build_offline"]


def build_offline(rng: random.Random, *, people: list[Person], companies: list[Company],
                  hs_ids: dict[str, str], sf_ids: dict[str, list[str]], taken: set[str],
                  now: datetime, owners: int) -> tuple[dict[str, bytes], dict, list[Person]]:
    """(files by name, truth by file name, the new people the files introduce)."""
    count = max(30, min(1500, len(people) // 5))
    known = [p for p in people if p.key in hs_ids or p.key in sf_ids]
    accented = [p for p in known if not (p.first + p.last).isascii()] or known
    new: list[Person] = []

    def newcomer(accent_share: float):
        def make() -> Person:
            p = make_person(rng, key=f"N{len(new) + 1:06d}", persona="offline_new",
                            companies=companies, taken=taken, now_ms=int(now.timestamp() * 1000),
                            owners=owners, accented=accent_share)
            new.append(p)
            return p
        return make

    show = now - timedelta(days=60)
    webinar = (now.replace(day=1) - timedelta(days=1)).replace(
        day=20, hour=16, minute=0, second=0, microsecond=0)
    tradeshow_rows = make_rows(rng, count=count, existing=known, new_person=newcomer(0.06),
                               companies=companies)
    webinar_rows = make_rows(rng, count=count, existing=known, new_person=newcomer(0.06),
                             companies=companies)
    # Business cards favour people with accented names: the point of that file's encoding.
    card_rows = make_rows(rng, count=max(20, count // 2), existing=accented * 3 + known,
                          new_person=newcomer(0.6), companies=companies)
    scanned = [_scanned(show, rng.randrange(2), rng.randrange(600)) for _ in tradeshow_rows]
    registered = [webinar - timedelta(minutes=rng.randrange(30 * 24 * 60)) for _ in webinar_rows]
    files = {
        f"tradeshow-saastr-{show.year}.csv": tradeshow_csv(tradeshow_rows, scanned),
        f"webinar-{webinar:%Y-%m}.xlsx": webinar_xlsx(
            webinar_rows, registered, [rng.random() < 0.45 for _ in webinar_rows], stamp=now),
        "business-cards-latin1.csv": latin1_csv(card_rows, [rng.randrange(100) for _ in card_rows]),
    }
    truth = {name: [_row_truth(i + 1, r, hs_ids, sf_ids) for i, r in enumerate(rows)]
             for name, rows in zip(files, (tradeshow_rows, webinar_rows, card_rows))}
    return files, truth, new


def _scanned(show: datetime, day: int, minutes: int) -> str:
    """Badge-scan time as the scanner app writes it: local wall time, no zone."""
    start = show.replace(hour=8, minute=0, second=0, microsecond=0)
    return (start + timedelta(days=day, minutes=minutes)).strftime("%Y-%m-%d %H:%M")


def _row_truth(number: int, row: Row, hs_ids: dict[str, str], sf_ids: dict[str, list[str]]) -> dict:
    p = row.person
    return {"row": number, "kind": row.kind, "person": p.key if p else None,
            "email": p.email if p else None, "hubspot_id": hs_ids.get(p.key) if p else None,
            "salesforce_ids": list(sf_ids.get(p.key, [])) if p else [],
            "duplicate_of": row.duplicate_of, "mess": list(row.mess)}
