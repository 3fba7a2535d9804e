"""A changing portal for completeness runs: a world seed with a same-millisecond burst,
then cycles of new, late, merged and archived activity (shared by tests and the bench)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from syncd_sandbox.world import build_world

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def burst_seed(*, contacts: int, burst: int, activity: float, seed: int = 11) -> dict:
    """A world portal where ``burst`` contacts share one ``lastmodifieddate`` millisecond."""
    data = build_world(seed=seed, contacts=contacts, now=NOW, activity=activity).hubspot
    stamp = _iso(NOW - timedelta(days=40, milliseconds=-123))
    for row in data["contacts"][:burst]:
        row["updatedAt"] = row["properties"]["lastmodifieddate"] = stamp
    return data


def event_count(dump: dict) -> int:
    engagements = sum(len(v) for k, v in dump["engagements"].items() if k != "tasks")
    return len(dump["email_events"]) + len(dump["events"]) + len(dump["form_submissions"]) + engagements


def churn(state, rng: random.Random, *, events: int, burst: int = 0, merges: int = 1,
          archives: int = 1, late_share: float = 0.3, max_late_hours: float = 20.0, tick=None) -> int:
    """One cycle's worth of change at the state's current time; returns events recorded.

    ``late_share`` of the events occurred up to ``max_late_hours`` before they are recorded. ``burst``
    contacts are modified within one millisecond. ``tick`` (if given) is called after
    each event, e.g. to move the clock by a millisecond as real traffic would.
    """
    with state.lock:
        live = [r.id for r in state.contacts.records.values() if not r.archived and r.properties.get("email")]
    now = state.now()
    forms = [f["id"] for f in state.forms]
    for i in range(events):
        cid = rng.choice(live)
        email = state.contact(cid)["properties"]["email"]
        when = now - timedelta(hours=rng.uniform(0.05, 1) * max_late_hours) if rng.random() < late_share else now
        kind = i % 5
        if kind in (0, 1):
            state.record_email_event(email, rng.choice(["OPEN", "CLICK", "DELIVERED"]), campaign_id=99,
                                     occurred_at=when, url="https://brightloop.io/p")
        elif kind == 2:
            state.record_event(cid, "e_visited_page", occurred_at=when,
                               properties={"hs_url": "https://brightloop.io/pricing"})
        elif kind == 3 and forms:
            state.record_form_submission(rng.choice(forms), {"email": email}, occurred_at=when,
                                         page_url="https://brightloop.io/demo")
        else:
            state.record_engagement(rng.choice(["meetings", "calls", "notes", "emails"]), [cid],
                                    {"hs_email_direction": "INCOMING_EMAIL"}, occurred_at=when)
        if tick is not None:
            tick()
    for cid in rng.sample(live, burst):
        state.upsert_contact({"jobtitle": f"Burst {now.isoformat()}"}, id=cid)
    pool = [c for c in live if state.contact(c) and not state.contact(c)["archived"]]
    for _ in range(merges):
        a, b = rng.sample(pool, 2)
        state.merge_contacts(a, b)
        pool.remove(b)
    for cid in rng.sample(pool, archives):
        state.archive_contact(cid)
    return events
