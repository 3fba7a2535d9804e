"""Structured logging: JSON lines in the container, a console renderer on a terminal.

Personal data never reaches a log line: a redaction processor masks email addresses,
phone numbers and tokens in every value, and ``pseudonym()`` gives a stable HMAC id where
a correlation key is needed.
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

__all__ = ["configure_logging", "pseudonym", "redact"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w.:/-])\+?\(?\d[\d\s().-]{6,}\d(?![\w.:/-])")
_TOKEN = re.compile(r"\b(pat-[a-z]{2}\d-[0-9a-f-]{8,}|Bearer\s+\S+|00D\w{12,15}!\S+|eyJ[\w-]+\.[\w-]+\.[\w-]+)",
                    re.I)
_SECRET_KEYS = re.compile(r"(token|secret|password|authorization|session_id|api_key|email|phone)",
                          re.I)


def _scrub(text: str) -> str:
    text = _TOKEN.sub("[token]", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(lambda m: "[phone]" if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(),
                      text)


def _redact_value(key: str, value: Any) -> Any:
    if isinstance(value, str):
        return "[redacted]" if _SECRET_KEYS.search(key) else _scrub(value)
    if isinstance(value, Mapping):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redact(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: mask personal data and secrets in every field."""
    return {k: (v if k in ("timestamp", "level") else _redact_value(k, v)) for k, v in event.items()}


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
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level.upper())),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
