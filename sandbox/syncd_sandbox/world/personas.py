"""The personas of the seeded portal: who they are, how many, and what HubSpot shows.

Shares sum to 1 and are exact up to rounding: ``assign_personas`` hands out quotas by the
largest-remainder method and then shuffles them, so a 200-contact world has exactly the
documented mix, not a noisy sample of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["PERSONAS", "Persona", "assign_personas", "persona"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Persona:
    """One kind of contact.

    ``stages`` are HubSpot ``lifecyclestage`` values with weights: HubSpot keeps the
    high-water mark, so churned customers still read "customer" and recycled leads still
    read "salesqualifiedlead". ``active_days`` is how many days before ``now`` this
    persona's own activity happens (newest, oldest).
    """

    name: str
    share: float
    description: str
    stages: tuple[tuple[str, int], ...]
    lead_statuses: tuple[tuple[str | None, int], ...] = ((None, 1),)
    active_days: tuple[int, int] = (1, 270)


PERSONAS: tuple[Persona, ...] = (
    Persona(name="passive_subscriber", share=0.30, active_days=(1, 270),
            description="Newsletter opens, the odd click, no hand-raise.",
            stages=(("subscriber", 8), ("lead", 2))),
    Persona(name="engaged_learner", share=0.18, active_days=(3, 150),
            description="Ebook downloads and webinar sign-ups; blog and docs page views.",
            stages=(("lead", 7), ("subscriber", 2), ("marketingqualifiedlead", 1))),
    Persona(name="active_evaluator", share=0.10, active_days=(0, 21),
            description="Demo request or contact-sales form, pricing views, meetings, replies.",
            stages=(("marketingqualifiedlead", 6), ("lead", 4)),
            lead_statuses=(("NEW", 3), (None, 2))),
    Persona(name="sales_working", share=0.08, active_days=(2, 45),
            description="SQL being worked: calls and meetings; SF Lead 'Working - Contacted'.",
            stages=(("salesqualifiedlead", 7), ("opportunity", 3)),
            lead_statuses=(("IN_PROGRESS", 3), ("ATTEMPTED_TO_CONTACT", 1), ("CONNECTED", 1))),
    Persona(name="customer", share=0.10, active_days=(1, 120),
            description="Converted lead / Contact on an Account with a closed-won deal.",
            stages=(("customer", 1),)),
    Persona(name="churned_customer", share=0.04, active_days=(120, 270),
            description="Former customer; HubSpot still says 'customer'; quiet for months.",
            stages=(("customer", 1),)),
    Persona(name="recycled", share=0.07, active_days=(150, 270),
            description="Returned by sales (SF 'Nurture'); HubSpot still says SQL.",
            stages=(("salesqualifiedlead", 7), ("opportunity", 1), ("marketingqualifiedlead", 2)),
            lead_statuses=(("BAD_TIMING", 3), ("OPEN", 1))),
    Persona(name="disqualified", share=0.05, active_days=(40, 220),
            description="Not a fit (SF 'Unqualified'): students, competitors, tiny shops.",
            stages=(("lead", 5), ("marketingqualifiedlead", 3), ("salesqualifiedlead", 2)),
            lead_statuses=(("UNQUALIFIED", 1),)),
    Persona(name="bounced", share=0.04, active_days=(30, 270),
            description="Hard bounce on the first send; never mailed again.",
            stages=(("subscriber", 6), ("lead", 4))),
    Persona(name="unsubscribed", share=0.04, active_days=(10, 240),
            description="Opened a few, then unsubscribed (some also reported spam).",
            stages=(("subscriber", 5), ("lead", 5))),
)

_BY_NAME = {p.name: p for p in PERSONAS}


def persona(name: str) -> Persona:
    """The persona called ``name`` (``KeyError`` names the known ones)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown persona {name!r}; known: {', '.join(_BY_NAME)}") from None


def assign_personas(rng: random.Random, count: int) -> list[str]:
    """``count`` persona names in the documented shares, in a seeded random order."""
    exact = [p.share * count for p in PERSONAS]
    quotas = [int(x) for x in exact]
    by_remainder = sorted(range(len(PERSONAS)), key=lambda i: (quotas[i] - exact[i], i))
    for i in by_remainder[: count - sum(quotas)]:
        quotas[i] += 1
    names = [p.name for p, q in zip(PERSONAS, quotas) for _ in range(q)]
    rng.shuffle(names)
    return names
