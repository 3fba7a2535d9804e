"""The one retry layer: tenacity, jittered exponential waits, every retry logged.

Two uses: a whole call that failed with a retriable error, and the failed *rows* of a
batch write whose code is row-retriable (only those rows are sent again). ``sleep`` is
injectable so tests never wait.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import structlog
import tenacity

from syncd.errors import RetriableError
from syncd.models import WriteResult

from .errors import ROW_RETRIABLE

__all__ = ["RetryPolicy", "retry_call", "retry_rows"]

T = TypeVar("T")
log = structlog.get_logger("syncd.salesforce")


class RetryPolicy:
    """Attempts and waits (2 s doubling to 32 s, plus up to 2 s of jitter)."""

    def __init__(self, *, call_attempts: int = 3, row_attempts: int = 4,
                 sleep: Callable[[float], None] = tenacity.nap.sleep,
                 initial: float = 2.0, maximum: float = 32.0) -> None:
        self.call_attempts, self.row_attempts, self.sleep = call_attempts, row_attempts, sleep
        self.wait = tenacity.wait_exponential_jitter(multiplier=initial, max=maximum,
                                                     jitter=initial)


def _logger(operation: str, what: str):
    def before_sleep(state: tenacity.RetryCallState) -> None:
        outcome = state.outcome
        detail = (str(outcome.exception()) if outcome.failed
                  else f"{len(outcome.result())} row(s) retriable")
        log.warning("salesforce.retry", operation=operation, retrying=what,
                    attempt=state.attempt_number, wait=round(state.next_action.sleep, 3),
                    reason=detail)
    return before_sleep


def _worth_retrying(exc: BaseException) -> bool:
    # A long retry_after (the daily API allocation) is for the scheduler, not for a loop.
    return isinstance(exc, RetriableError) and (exc.retry_after or 0) <= 60


def retry_call(policy: RetryPolicy, operation: str, fn: Callable[[], T]) -> T:
    """Run ``fn``, again after a wait while it raises a short-lived ``RetriableError``."""
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(_worth_retrying),
        stop=tenacity.stop_after_attempt(policy.call_attempts), wait=policy.wait,
        sleep=policy.sleep, reraise=True, before_sleep=_logger(operation, "call"))
    return retrying(fn)


def retry_rows(policy: RetryPolicy, operation: str, rows: Sequence[T],
               send: Callable[[list[T]], list[WriteResult]]) -> list[WriteResult]:
    """Send ``rows``; send again only those whose result has a row-retriable code.

    One result per row, in order; after the last attempt a still-failing row keeps its
    retriable code, so the caller can park it and try in a later cycle.
    """
    results: list[WriteResult | None] = [None] * len(rows)
    pending = list(range(len(rows)))

    def attempt() -> list[int]:
        nonlocal pending
        try:
            out = send([rows[i] for i in pending])
        except RetriableError:
            if all(r is None for r in results):
                raise
            return []  # keep the earlier results: the failed rows still say why
        for i, result in zip(pending, out, strict=True):
            results[i] = result
        pending = [i for i, r in zip(pending, out) if not r.ok and r.error_code in ROW_RETRIABLE]
        return pending

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_result(bool),
        stop=tenacity.stop_after_attempt(policy.row_attempts), wait=policy.wait,
        sleep=policy.sleep, before_sleep=_logger(operation, "rows"),
        retry_error_callback=lambda state: state.outcome.result())
    if rows:
        retrying(attempt)
    return [r for r in results if r is not None]
