"""Structured logging: JSON lines in the container, a console renderer on a terminal.

Personal data never reaches a log line, and identifiers are never damaged: redaction goes
by field. Secret and personal fields (``token``, ``email``...) are masked whole; identifier
fields (``run_id``, record ids, codes, times, counts) are kept as they are; free text
(``reason``, ``error``, ``message``...) is scrubbed of email addresses, tokens and phone
numbers, sparing the timestamps and Salesforce ErrorIds inside it. ``pseudonym()`` gives a
stable HMAC id where a correlation key is needed.

Lines from the standard library's ``logging`` (APScheduler's own) go through the same
processors as JSON; an exception's traceback goes to a file (``syncd.crash``) and the line
names it, so no traceback is ever printed into the log.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog

__all__ = ["configure_logging", "pseudonym", "redact", "traceback_to_file"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w.:/-])\+?\(?\d[\d\s().-]{6,}\d(?![\w.:/-])")
_TOKEN = re.compile(r"\b(pat-[a-z]{2}\d-[0-9a-f-]{8,}|Bearer\s+\S+|00D\w{12,15}!\S+|eyJ[\w-]+\.[\w-]+\.[\w-]+)",
                    re.I)
_SECRET_KEYS = re.compile(r"(token|secret|password|authorization|session_id|api_key|email|phone)",
                          re.I)
_IDENTIFIER_KEYS = re.compile(
    r"^(run_id|id|ids|event|level|logger|timestamp|at|since|until|epoch|pid|attempt|status|code|"
    r"codes|operation|endpoint|system|job|replica|stream|lease|contact|record|error_id|error_ids|"
    r"correlation_id|.*_(id|ids|at|until|time|code|codes|seconds|file|status))$", re.I)
"""Fields whose values are identifiers, times or codes: never scrubbed for phone numbers."""
_KEEP = (
    re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"ErrorId[^0-9]{0,40}\d+(?:-\d+)*(?:\s*\(-?\d+\))?", re.I),
)
"""Inside free text: timestamps and Salesforce ErrorIds, which look like phone numbers."""


def _phones(text: str) -> str:
    return _PHONE.sub(lambda m: "[phone]" if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(),
                      text)


def _scrub(text: str, *, phones: bool = True) -> str:
    text = _TOKEN.sub("[token]", text)
    text = _EMAIL.sub("[email]", text)
    if not phones:
        return text
    out, last = [], 0
    for start, end in _kept_spans(text):
        out += [_phones(text[last:start]), text[start:end]]
        last = end
    return "".join(out) + _phones(text[last:])


def _kept_spans(text: str) -> list[tuple[int, int]]:
    spans = sorted(m.span() for rx in _KEEP for m in rx.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _redact_value(key: str, value: Any) -> Any:
    if isinstance(value, str):
        if _SECRET_KEYS.search(key):
            return "[redacted]"
        return _scrub(value, phones=not _IDENTIFIER_KEYS.match(key))
    if isinstance(value, Mapping):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redact(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: mask secrets and personal data by field (see the module doc)."""
    return {k: (v if k in ("timestamp", "level") else _redact_value(k, v)) for k, v in event.items()}


def traceback_to_file(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: an exception's traceback goes to a file; the line keeps one line
    of it (``error``) and the file's path (``traceback_file``)."""
    exc_info = event.pop("exc_info", None)
    exc = _exception(exc_info)
    if exc is not None:
        from syncd.crash import one_line, record_crash

        event.setdefault("error", one_line(exc))
        where = record_crash(exc)
        event["traceback_file"] = str(where) if where else None
    return event


def _exception(exc_info: Any) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1]
    if exc_info:
        return sys.exc_info()[1]
    return None


class _ToStructlog(logging.Handler):
    """Sends the standard library's log records (APScheduler's) through structlog."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        event = "scheduler.job_skipped" if "maximum number of running instances" in message else (
            "scheduler.log" if record.name.startswith("apscheduler") else "library.log")
        try:
            structlog.get_logger(record.name).log(record.levelno, event, message=message,
                                                  logger=record.name, exc_info=record.exc_info)
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)


def _route_stdlib_logging() -> None:
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not isinstance(h, _ToStructlog)] + [_ToStructlog()]
    root.setLevel(logging.WARNING)


def pseudonym(value: str, *, key: bytes | None = None) -> str:
    """A stable, non-reversible id for a personal value (HMAC-SHA256, 12 hex chars)."""
    secret = key or os.environ.get("SYNCD_LOG_HMAC_KEY", "syncd-local").encode()
    return hmac.new(secret, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:12]


def configure_logging(*, fmt: str = "auto", level: str = "info", stream: TextIO | None = None) -> None:
    """Set up structlog once per process; ``fmt`` is ``json``, ``console`` or ``auto``."""
    out = stream or sys.stdout
    use_console = fmt == "console" or (fmt == "auto" and out.isatty())
    # Without an explicit stream, each logger writes to sys.stdout as it is when created.
    renderer = structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            traceback_to_file,
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper())),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    _route_stdlib_logging()
