"""The one retry layer of the HubSpot connector (tenacity): honours ``retry_after``, else
exponential backoff with jitter; bounded attempts; every retry logged as ``hubspot.retry``
with its status, code and reason.

A wait is never longer than what is left of the cycle (``sleep.remaining()`` when ``sleep``
is a ``syncd.pacing.Pacer``, else a fixed cap): such a retry ends the cycle with
``BudgetExhausted`` instead, and a spent daily limit is never retried at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from syncd.errors import BudgetExhausted, RetriableError

__all__ = ["MAX_WAIT", "call_with_retries", "wait_retry_after"]

T = TypeVar("T")
log = structlog.get_logger("syncd.hubspot")
_backoff = wait_random_exponential(multiplier=0.5, max=30)
MAX_WAIT = 300.0
"""The longest wait when ``sleep`` cannot say how long the cycle has left."""


def wait_retry_after(state: RetryCallState) -> float:
    """Seconds before the next attempt: the server's hint when it gave one."""
    exc = state.outcome.exception() if state.outcome else None
    hint = getattr(exc, "retry_after", None)
    return float(hint) if hint is not None else _backoff(state)


def _worth_retrying(exc: BaseException) -> bool:
    return isinstance(exc, RetriableError) and not isinstance(exc, BudgetExhausted)


def _bounded_wait(sleep: Callable[[float], None]) -> Callable[[RetryCallState], float]:
    remaining = getattr(sleep, "remaining", lambda: MAX_WAIT)

    def wait(state: RetryCallState) -> float:
        seconds, left = wait_retry_after(state), remaining()
        if seconds > left:
            raise BudgetExhausted.outlasting(state.outcome.exception(), seconds, left)
        return seconds
    return wait


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("hubspot.retry", operation=getattr(exc, "operation", None),
                status=getattr(exc, "status", None), code=getattr(exc, "code", None),
                attempt=state.attempt_number,
                wait_seconds=round(state.next_action.sleep, 3) if state.next_action else None,
                reason=str(exc))


def call_with_retries(fn: Callable[[], T], *, attempts: int,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``fn``; retry on ``RetriableError`` up to ``attempts`` in total, then re-raise."""
    retrying = Retrying(retry=retry_if_exception(_worth_retrying),
                        stop=stop_after_attempt(attempts), wait=_bounded_wait(sleep),
                        sleep=sleep, before_sleep=_log_retry, reraise=True)
    return retrying(fn)
