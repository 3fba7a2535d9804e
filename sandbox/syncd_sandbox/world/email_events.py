"""Marketing-email campaigns and the SENT/DELIVERED/OPEN/CLICK/... events they produce.

Each campaign goes to every contact with an email who existed and was still mailable at
send time. Opens and clicks follow the persona and fall inside the persona's active
window (a recycled lead stopped opening months ago); bounced contacts hard-bounce on their
first send and are never mailed again; unsubscribed contacts open a few, then unsubscribe.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._ids import DAY_MS, HOUR_MS, MINUTE_MS
from .personas import persona as persona_of
from .recorder import Recorder, Target

__all__ = ["Campaign", "SITE", "make_campaigns", "mail_campaigns"]

SITE = "https://www.brightloop.io"
_NAMES = ("Monthly newsletter", "Product launch: Workflows 2.0", "Webinar invite: Pipeline hygiene",
          "Customer newsletter", "Ebook: The RevOps playbook", "Monthly newsletter",
          "Event invite: SaaStr Annual", "Customer newsletter")
_LINKS = ("/blog/lead-scoring-101", "/pricing", "/demo", "/ebooks/revops-playbook",
          "/webinars/pipeline-hygiene", "/docs/getting-started")
# persona: (open probability, click probability given an open) inside the active window
_RATES = {"passive_subscriber": (0.35, 0.08), "engaged_learner": (0.55, 0.25),
          "active_evaluator": (0.6, 0.35), "sales_working": (0.4, 0.15),
          "customer": (0.45, 0.1), "churned_customer": (0.2, 0.05), "recycled": (0.3, 0.05),
          "disqualified": (0.15, 0.02), "unsubscribed": (0.3, 0.05), "bounced": (0.0, 0.0)}
_CUSTOMERS = ("customer", "churned_customer")
_NO_SUCH_USER = "550 5.1.1 The email account that you tried to reach does not exist"


@dataclass(frozen=True, slots=True, kw_only=True)
class Campaign:
    """One marketing email send."""

    id: int
    name: str
    sent_ms: int
    customers_only: bool


def make_campaigns(*, now_ms: int, count: int, window_days: int = 270) -> list[Campaign]:
    """``count`` campaigns spread evenly over the ``window_days`` before now."""
    step = window_days * DAY_MS // count
    return [Campaign(id=3_100_001 + i, name=_NAMES[i % len(_NAMES)],
                     sent_ms=now_ms - window_days * DAY_MS + step * i + step // 2 + 9 * HOUR_MS,
                     customers_only=_NAMES[i % len(_NAMES)] == "Customer newsletter")
            for i in range(count)]


def mail_campaigns(rec: Recorder, targets: list[Target], campaigns: list[Campaign], now_ms: int) -> None:
    """Record every campaign's events for every target."""
    for t in targets:
        if t.email:
            _mail_one(rec, t, campaigns, now_ms)


def _mail_one(rec: Recorder, t: Target, campaigns: list[Campaign], now_ms: int) -> None:
    rng, email = rec.rng, t.email
    newest, oldest = persona_of(t.persona).active_days
    window = (now_ms - oldest * DAY_MS, now_ms - newest * DAY_MS)
    p_open, p_click = _RATES[t.persona]
    sends = [c for c in campaigns if c.sent_ms > t.created_ms
             and (not c.customers_only or t.persona in _CUSTOMERS)]
    unsub_at = _unsubscribe_index(rng, sends, window) if t.persona == "unsubscribed" else None
    for n, c in enumerate(sends):
        at = c.sent_ms + rng.randrange(20 * MINUTE_MS)
        rec.email_event("SENT", t.hs_id, email, c.id, at)
        if t.persona == "bounced":
            rec.email_event("BOUNCE", t.hs_id, email, c.id, at + 4_000, category="UNKNOWN_USER",
                            response=_NO_SUCH_USER)
            return
        rec.email_event("DELIVERED", t.hs_id, email, c.id, at + rng.randrange(2_000, 60_000))
        inside = window[0] <= c.sent_ms <= window[1]
        opened = inside and rng.random() < p_open
        seen = at + rng.randrange(10 * MINUTE_MS, 72 * HOUR_MS)
        if opened and seen < now_ms:
            device = rng.choice(("COMPUTER", "MOBILE"))
            rec.email_event("OPEN", t.hs_id, email, c.id, seen, deviceType=device)
            clicked = seen + rng.randrange(5_000, 300_000)
            if rng.random() < p_click and clicked < now_ms:
                rec.email_event("CLICK", t.hs_id, email, c.id, clicked, url=SITE + rng.choice(_LINKS))
        if n == unsub_at:
            _unsubscribe(rec, t, c.id, min(seen + HOUR_MS, now_ms - MINUTE_MS))
            return


def _unsubscribe_index(rng, sends: list[Campaign], window: tuple[int, int]) -> int | None:
    inside = [i for i, c in enumerate(sends) if window[0] <= c.sent_ms <= window[1]]
    return rng.choice(inside) if inside else (len(sends) - 1 if sends else None)


def _unsubscribe(rec: Recorder, t: Target, campaign: int, ms: int) -> None:
    spam = rec.rng.random() < 0.25
    if spam:
        rec.email_event("SPAMREPORT", t.hs_id, t.email, campaign, ms - 1_000)
    rec.email_event("STATUSCHANGE", t.hs_id, t.email, campaign, ms,
                    source="SOURCE_SPAM_REPORT" if spam else "SOURCE_UNSUBSCRIBE_LINK",
                    subscriptions=[{"id": 4_000_001, "status": "UNSUBSCRIBED"}],
                    portalSubscriptionStatus="UNSUBSCRIBED")
