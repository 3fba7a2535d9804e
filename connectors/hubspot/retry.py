"""The one retry layer of the HubSpot connector (tenacity): honours ``retry_after``, else
exponential backoff with jitter; bounded attempts; every retry logged as ``hubspot.retry``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_random_exponential

from syncd.errors import RetriableError

__all__ = ["call_with_retries", "wait_retry_after"]

T = TypeVar("T")
log = structlog.get_logger("syncd.hubspot")
_backoff = wait_random_exponential(multiplier=0.5, max=30)


def wait_retry_after(state: RetryCallState) -> float:
    """Seconds before the next attempt: the server's hint when it gave one."""
    exc = state.outcome.exception() if state.outcome else None
    hint = getattr(exc, "retry_after", None)
    return min(float(hint), 300.0) if hint is not None else _backoff(state)


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("hubspot.retry", operation=getattr(exc, "operation", None),
                status=getattr(exc, "status", None), attempt=state.attempt_number,
                wait_seconds=round(state.next_action.sleep, 3) if state.next_action else None,
                error=str(exc))


def call_with_retries(fn: Callable[[], T], *, attempts: int,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``fn``; retry on ``RetriableError`` up to ``attempts`` in total, then re-raise."""
    retrying = Retrying(retry=retry_if_exception_type(RetriableError),
                        stop=stop_after_attempt(attempts), wait=wait_retry_after,
                        sleep=sleep, before_sleep=_log_retry, reraise=True)
    return retrying(fn)
