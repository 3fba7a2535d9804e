"""Cross-key checks of ``routing.toml`` on the raw TOML dict.

They run on the raw dict, not on the validated model, so a typo in one section does not
hide a contradiction in another: the loader reports every problem in one go.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

import holidays

from syncd.errors import ConfigIssue
from syncd.issues import IssueCollector
from syncd.routing.geo import suggest_country
from syncd.routing.values import minutes

__all__ = ["cross_check"]


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_Issues = IssueCollector


def cross_check(data: dict[str, Any], *, file: str,
                stage_keys: Collection[str] | None = None) -> list[ConfigIssue]:
    """Every problem the value types alone cannot see, each with its key path."""
    out = _Issues(file)
    _check_trigger(_dict(data.get("trigger")), out, stage_keys)
    _check_territories(_list(data.get("territories")), out)
    _check_sla(_dict(data.get("sla")), out)
    return out.items


def _check_trigger(trigger: dict, out: _Issues, stage_keys: Collection[str] | None) -> None:
    if stage_keys is None:
        return
    known = {k.casefold() for k in stage_keys}
    for i, stage in enumerate(_list(trigger.get("stages"))):
        if isinstance(stage, str) and stage.casefold() not in known:
            out.one_of(f"trigger.stages[{i}]", stage, known, "stage (scoring.toml's keys)")


def _check_territories(territories: list, out: _Issues) -> None:
    seen: set[str] = set()
    for i, raw in enumerate(territories):
        territory, path = _dict(raw), f"territories[{i}]"
        name = territory.get("name")
        if isinstance(name, str) and name in seen:
            out.add(f"{path}.name", "two territories share this name; round-robin turns are "
                    "kept per name", found=name, hint="give each territory its own name")
        seen.add(name if isinstance(name, str) else "")
        _check_assignees(territory, path, out)
        for j, condition in enumerate(_list(territory.get("segment"))):
            _check_condition(_dict(condition), f"{path}.segment[{j}]", out)


def _check_assignees(territory: dict, path: str, out: _Issues) -> None:
    users, queue = _list(territory.get("users")), territory.get("queue")
    if users and queue is not None:
        out.add(f"{path}.queue", "give users or a queue, not both",
                hint="users are taken in turn; a queue lets reps pick leads themselves")
    elif not users and queue is None:
        out.add(f"{path}.users", "no assignees", expected='users = ["<email>", ...] or '
                'queue = "<queue name>"')
    if queue is not None and territory.get("cap_open_active") is not None:
        out.add(f"{path}.cap_open_active", "a cap applies to users, not to a queue",
                hint="remove cap_open_active or list users instead of the queue")


def _check_condition(condition: dict, path: str, out: _Issues) -> None:
    values, lo, hi = condition.get("values"), condition.get("min"), condition.get("max")
    if values is None and lo is None and hi is None:
        out.add(path, "a condition needs values = [...], min, max, or min and max")
    if values is not None and (lo is not None or hi is not None):
        out.add(f"{path}.values", "give values or min/max in one condition, not both",
                hint="write two conditions; all of them must hold")
    if isinstance(values, list) and not values:
        out.add(f"{path}.values", "empty list: no person could match",
                hint="list the accepted values or remove the condition")
    if _number(lo) and _number(hi) and lo > hi:
        out.add(f"{path}.max", "max is below min", found=hi, expected=f"at least {lo}")


def _check_sla(sla: dict, out: _Issues) -> None:
    start, end = sla.get("start", "09:00"), sla.get("end", "17:00")
    if _clock_ok(start) and _clock_ok(end) and minutes(start) >= minutes(end):
        out.add("sla.end", "the working day ends before it starts", found=end,
                expected=f"later than {start}", hint="hours past midnight are not supported; "
                "use \"24:00\" and start the next day at \"00:00\"")
    days = _list(sla.get("days"))
    if "days" in sla and not days:
        out.add("sla.days", "no working days: an SLA could never fall due",
                expected='e.g. ["mon", "tue", "wed", "thu", "fri"]')
    for i, day in enumerate(days):
        if day in days[:i]:
            out.add(f"sla.days[{i}]", "listed twice", found=day)
    _check_holidays(sla, out)
    _check_escalation(sla, out)


def _clock_ok(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 5 and value[2] == ":" \
        and value.replace(":", "").isdigit()


def _check_holidays(sla: dict, out: _Issues) -> None:
    country, subdivision = sla.get("holidays_country"), sla.get("holidays_subdivision")
    supported = holidays.list_supported_countries()
    if isinstance(country, str) and country not in supported:
        close = suggest_country(country)
        out.add("sla.holidays_country", "no public holidays known for this country",
                found=country, expected="an ISO 3166-1 alpha-2 code such as DE, US, GB",
                hint=f"did you mean '{close}'?" if close in supported else None)
    if subdivision is not None and country is None:
        out.add("sla.holidays_subdivision", "a subdivision needs holidays_country")
    elif isinstance(subdivision, str) and country in supported:
        out.one_of("sla.holidays_subdivision", subdivision, supported[country],
                   f"subdivision of {country}")


def _check_escalation(sla: dict, out: _Issues) -> None:
    manager, escalation = sla.get("manager"), sla.get("escalation")
    if escalation == "manager_task" and manager is None:
        out.add("sla.manager", "escalation = \"manager_task\" needs a manager",
                expected='manager = "user:<email>"')
    if isinstance(manager, str) and manager.strip().lower().startswith("queue:"):
        out.add("sla.manager", "a task cannot be owned by a queue", found=manager,
                expected='"user:<email>"')
