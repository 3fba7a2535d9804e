"""Each persona's own activity: forms, page views, product events and sales engagements.

``PLANS`` is the table that makes personas behave differently: for each persona, which
actions happen and how often (min, max per contact). Timing comes from the persona's
active window, skewed towards ``now`` for active evaluators.
"""

from __future__ import annotations

from ._ids import DAY_MS, HOUR_MS, MINUTE_MS
from .email_events import SITE
from .personas import persona as persona_of
from .recorder import Recorder, Target

__all__ = ["FORMS", "HAND_RAISE_FORMS", "PLANS", "record_activity"]

FORMS = ("Demo request", "Contact sales", "Newsletter signup", "Ebook download",
         "Webinar registration")
HAND_RAISE_FORMS = ("Demo request", "Contact sales")
_FORM_PAGES = {"Demo request": "/demo", "Contact sales": "/contact-sales",
               "Newsletter signup": "/blog", "Ebook download": "/ebooks/revops-playbook",
               "Webinar registration": "/webinars/pipeline-hygiene"}
_PATHS = {
    "pricing": ("/pricing", "/pricing/enterprise", "/pricing#compare"),
    "blog": ("/blog/lead-scoring-101", "/blog/mql-vs-sql", "/blog/crm-hygiene-checklist",
             "/blog/intent-data-explained"),
    "docs": ("/docs/getting-started", "/docs/salesforce-sync", "/docs/api/webhooks"),
    "careers": ("/careers", "/careers/account-executive-emea"),
}
# (url, title) strings built once and shared by every view of a page: a big world holds
# hundreds of thousands of views.
_PAGES = {section: tuple((SITE + path, path.rsplit("/", 1)[-1]) for path in paths)
          for section, paths in _PATHS.items()}
PLANS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "passive_subscriber": (("view:blog", 0, 2),),
    "engaged_learner": (("view:blog", 2, 6), ("view:docs", 1, 4), ("form:Ebook download", 1, 2),
                        ("form:Webinar registration", 0, 1), ("form:Newsletter signup", 0, 1)),
    "active_evaluator": (("form:hand-raise", 1, 1), ("view:pricing", 2, 6), ("view:blog", 0, 3),
                         ("view:docs", 0, 3), ("event:product_trial_started", 0, 1),
                         ("meeting", 0, 1), ("email_in", 0, 1), ("view:careers", 0, 1)),
    "sales_working": (("form:Demo request", 0, 1), ("view:pricing", 1, 3), ("call", 1, 4),
                      ("meeting", 1, 2), ("email_out", 1, 3), ("email_in", 0, 2), ("note", 1, 2),
                      ("task", 1, 1)),
    "customer": (("view:docs", 2, 6), ("event:feature_activated", 1, 3), ("meeting", 0, 1),
                 ("note", 0, 2), ("email_in", 0, 1)),
    "churned_customer": (("view:docs", 0, 2), ("note", 1, 1), ("call", 0, 1)),
    "recycled": (("form:Demo request", 1, 1), ("view:pricing", 1, 3), ("call", 1, 3),
                 ("meeting", 0, 1), ("note", 1, 1), ("email_out", 1, 2)),
    "disqualified": (("form:Contact sales", 0, 1), ("form:Ebook download", 0, 1), ("call", 0, 1),
                     ("note", 1, 1)),
    "bounced": (("form:Newsletter signup", 0, 1),),
    "unsubscribed": (("view:blog", 0, 2), ("form:Ebook download", 0, 1)),
}
_NOTES = {"churned_customer": "Did not renew: budget cut, moved to an in-house tool.",
          "recycled": "Returned to marketing: no budget until next fiscal year.",
          "disqualified": "Disqualified: not a fit (student / 2-person shop / competitor).",
          "customer": "QBR notes: expanding to the EMEA team next quarter."}


def record_activity(rec: Recorder, targets: list[Target], *, forms: dict[str, str],
                    now_ms: int, views: float = 1.0) -> None:
    """Record every target's persona activity; ``views`` scales page-view counts."""
    for t in targets:
        for action, lo, hi in PLANS[t.persona]:
            count = rec.rng.randint(lo, hi)
            if action.startswith("view:"):
                count = round(count * views)
            for _ in range(count):
                ms = _when(rec, t, now_ms)
                if action in _SALES:
                    ms = _office_hours(rec, ms, t.created_ms, now_ms)
                _act(rec, t, action, ms, forms)


def _when(rec: Recorder, t: Target, now_ms: int) -> int:
    newest, oldest = persona_of(t.persona).active_days
    lo = max(now_ms - oldest * DAY_MS, t.created_ms + HOUR_MS)
    hi = max(now_ms - newest * DAY_MS - MINUTE_MS, lo + MINUTE_MS)
    hi = min(hi, now_ms - MINUTE_MS)
    lo = min(lo, hi - MINUTE_MS)
    u = rec.rng.random()
    if t.persona == "active_evaluator":
        u = u ** 0.5  # skew towards now: evaluators are active recently
    return lo + int((hi - lo) * u)


def _office_hours(rec: Recorder, ms: int, created_ms: int, now_ms: int) -> int:
    """Move ``ms`` to 08:00–18:00 UTC on its day: sales reps call and meet in office hours."""
    moved = ms - ms % DAY_MS + 8 * HOUR_MS + rec.rng.randrange(10 * HOUR_MS)
    return moved if created_ms < moved < now_ms - MINUTE_MS else ms


def _act(rec: Recorder, t: Target, action: str, ms: int, forms: dict[str, str]) -> None:
    rng, kind, _, arg = rec.rng, *action.partition(":")
    if kind == "view":
        url, title = rng.choice(_PAGES[arg])
        rec.event(t.hs_id, "e_visited_page", ms, {"hs_url": url, "hs_title": title})
    elif kind == "event":
        rec.event(t.hs_id, f"pe{rec.portal_id}_{arg}", ms,
                  {"plan": rng.choice(("starter", "pro"))} if arg.endswith("started")
                  else {"feature": rng.choice(("workflows", "scoring", "reports"))})
    elif kind == "form" and t.email:
        name = rng.choice(HAND_RAISE_FORMS) if arg == "hand-raise" else arg
        rec.form(t.hs_id, forms[name], ms, SITE + _FORM_PAGES[name], form_values(t, name))
    elif kind in _SALES:
        _SALES[kind](rec, t, ms)


def form_values(t: Target, form_name: str) -> list[dict[str, str]]:
    """The fields a contact types into ``form_name``."""
    values = {"email": t.email or "", "firstname": t.first, "lastname": t.last, "company": t.company}
    if form_name in HAND_RAISE_FORMS:
        values["message"] = "We'd like to see how this fits our Salesforce setup."
    return [{"name": k, "value": v} for k, v in values.items()]


def _meeting(rec: Recorder, t: Target, ms: int) -> None:
    rng = rec.rng
    # Half of the evaluators' meetings are booked ahead: created now, held in a few days.
    ahead = t.persona == "active_evaluator" and rng.random() < 0.5
    start = ms + rng.randint(1, 7) * DAY_MS if ahead else ms
    outcome = "SCHEDULED" if ahead else rng.choice(("COMPLETED", "COMPLETED", "NO_SHOW"))
    title = "Quarterly review" if t.persona == "customer" else f"Demo: {t.company}"
    rec.engagement("meetings", t.hs_id, start, {
        "hs_meeting_title": title, "hs_meeting_start_time": start,
        "hs_meeting_end_time": start + 30 * MINUTE_MS, "hs_meeting_outcome": outcome},
        t.owner_id, created_ms=ms)


def _call(rec: Recorder, t: Target, ms: int) -> None:
    rng = rec.rng
    answered = rng.random() < 0.6
    rec.engagement("calls", t.hs_id, ms, {
        "hs_call_title": f"Call with {t.first} {t.last}",
        "hs_call_direction": rng.choice(("OUTBOUND", "OUTBOUND", "INBOUND")),
        "hs_call_status": "COMPLETED",
        "hs_call_duration": str(rng.randint(60, 1800) * 1000 if answered else 0),
        "hs_call_disposition": _CONNECTED if answered else _NO_ANSWER}, t.owner_id)


def _sales_email(rec: Recorder, t: Target, ms: int, *, incoming: bool) -> None:
    rec.engagement("emails", t.hs_id, ms, {
        "hs_email_direction": "INCOMING_EMAIL" if incoming else "EMAIL", "hs_email_status": "SENT",
        "hs_email_subject": "Re: Next steps" if incoming else f"Following up, {t.first}"},
        t.owner_id)


def _note(rec: Recorder, t: Target, ms: int) -> None:
    body = _NOTES.get(t.persona, f"Spoke with {t.first} {t.last}.")
    rec.engagement("notes", t.hs_id, ms, {"hs_note_body": body}, t.owner_id)


def _task(rec: Recorder, t: Target, ms: int) -> None:
    rng = rec.rng
    rec.engagement("tasks", t.hs_id, ms, {
        "hs_task_subject": f"Follow up with {t.first} {t.last}",
        "hs_task_status": rng.choice(("NOT_STARTED", "COMPLETED")),
        "hs_task_type": rng.choice(("CALL", "EMAIL", "TODO")), "hs_task_priority": "HIGH"},
        t.owner_id)


# HubSpot's default call dispositions.
_CONNECTED = "f240bbac-87c9-4f6e-bf70-924b57d47db7"
_NO_ANSWER = "73a0d17f-1163-4015-bdd5-ec830791da20"
_SALES = {
    "meeting": _meeting, "call": _call, "note": _note, "task": _task,
    "email_in": lambda rec, t, ms: _sales_email(rec, t, ms, incoming=True),
    "email_out": lambda rec, t, ms: _sales_email(rec, t, ms, incoming=False),
}
