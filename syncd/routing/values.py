"""Single values of ``routing.toml`` checked as they are read: emails, assignees, country
codes, time zones, clock times and the task subject's placeholders.

Each check raises a ``PydanticCustomError`` whose message says what to write instead, so
the loader's issue list reads as instructions, not as pydantic's vocabulary.
"""

from __future__ import annotations

import difflib
import re
import string
from datetime import time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from syncd.routing.geo import suggest_country

__all__ = ["AssigneeSpec", "ClockTime", "CountryCode", "Email", "SUBJECT_FIELDS",
           "SubjectTemplate", "TimeZoneName", "parse_assignee", "minutes"]

SUBJECT_FIELDS = ("name", "company", "intent", "stage", "score", "grade")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _bad(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def _email(value: str) -> str:
    text = value.strip().lower()
    if not _EMAIL.match(text):
        raise _bad("email", "not an email address; name a Salesforce user by the email on "
                            "their User record")
    return text


def parse_assignee(spec: str) -> tuple[Literal["user", "queue"], str]:
    """``"user:anna@acme.example"`` -> ``("user", "anna@acme.example")``; queues likewise."""
    kind, _, name = spec.partition(":")
    return ("user" if kind == "user" else "queue"), name


def _assignee(value: str) -> str:
    kind, sep, name = value.strip().partition(":")
    kind, name = kind.strip().lower(), name.strip()
    if not sep or kind not in ("user", "queue") or not name:
        raise _bad("assignee", "write \"queue:<queue name>\" or \"user:<email>\"")
    return f"user:{_email(name)}" if kind == "user" else f"queue:{name}"


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) == 2 and suggest_country(code) == code:
        return code
    close = suggest_country(value)
    tip = f"; did you mean '{close}'?" if close else ""
    raise _bad("country", "not an ISO 3166-1 alpha-2 country code (such as DE, US, GB)" + tip)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        tip = f"; did you mean '{close[0]}'?" if close else ""
        raise _bad("timezone", "not an IANA time zone name (such as Europe/Berlin)"
                               + tip) from None
    return value


def _clock_in(value: Any) -> Any:
    # TOML has a bare local-time type (09:00:00); read it like the quoted "09:00".
    return value.strftime("%H:%M") if isinstance(value, time) else value


def _clock(value: str) -> str:
    if not _CLOCK.match(value.strip()):
        raise _bad("clock", "write a time of day as \"HH:MM\" (24-hour clock, \"24:00\" for "
                            "midnight at the end of the day)")
    return value.strip()


def minutes(clock: str) -> int:
    """``"09:30"`` -> 570; ``"24:00"`` -> 1440."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def _subject(value: str) -> str:
    try:
        parts = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(value)
                 if f is not None]
    except ValueError as exc:
        raise _bad("subject", f"braces do not pair up ({exc}); write {{{{ and }}}} for a "
                              "literal brace") from None
    for field, spec, conversion in parts:
        if spec or conversion:
            raise _bad("subject", f"placeholders take no format: write {{{field}}}")
        if field not in SUBJECT_FIELDS:
            close = difflib.get_close_matches(field, SUBJECT_FIELDS, n=1)
            tip = f"; did you mean '{{{close[0]}}}'?" if close else ""
            raise _bad("subject", f"unknown placeholder '{{{field}}}', use "
                                  f"{', '.join('{' + f + '}' for f in SUBJECT_FIELDS)}" + tip)
    return value


Email = Annotated[str, AfterValidator(_email)]
AssigneeSpec = Annotated[str, AfterValidator(_assignee)]
CountryCode = Annotated[str, AfterValidator(_country)]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]
ClockTime = Annotated[str, BeforeValidator(_clock_in), AfterValidator(_clock)]
SubjectTemplate = Annotated[str, AfterValidator(_subject)]
