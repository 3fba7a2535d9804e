"""The one retry layer: tenacity, jittered exponential waits, every retry logged.

Two uses: a whole call that failed with a retriable error, and the failed *rows* of a
batch write whose code is row-retriable (only those rows are sent again). ``sleep`` is
injectable so tests never wait. Every retry is logged with the error codes and reasons.

A wait is never longer than what is left of the cycle (``sleep.remaining()`` when ``sleep``
is a ``syncd.pacing.Pacer``, else a fixed cap): a call that would need one ends the cycle
with ``BudgetExhausted``; rows that would need one stay retriable for the next cycle. The
org's spent daily allocation (``BudgetExhausted``) is never retried.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

import structlog
import tenacity

from syncd.errors import BudgetExhausted, CycleStopped, RetriableError
from syncd.models import WriteResult

from .errors import ROW_RETRIABLE

__all__ = ["MAX_WAIT", "RetryPolicy", "retry_call", "retry_rows"]

T = TypeVar("T")
log = structlog.get_logger("syncd.salesforce")
MAX_WAIT = 300.0
"""The longest wait when ``sleep`` cannot say how long the cycle has left."""


class RetryPolicy:
    """Attempts and waits (2 s doubling to 32 s, plus up to 2 s of jitter)."""

    def __init__(self, *, call_attempts: int = 3, row_attempts: int = 4,
                 sleep: Callable[[float], None] = tenacity.nap.sleep,
                 initial: float = 2.0, maximum: float = 32.0) -> None:
        self.call_attempts, self.row_attempts, self.sleep = call_attempts, row_attempts, sleep
        self.wait = tenacity.wait_exponential_jitter(multiplier=initial, max=maximum,
                                                     jitter=initial)

    def remaining(self) -> float:
        """Seconds a wait may still take (what is left of the cycle)."""
        return getattr(self.sleep, "remaining", lambda: MAX_WAIT)()

    def call_wait(self, state: tenacity.RetryCallState) -> float:
        """The server's hint if any, else backoff; ``BudgetExhausted`` if it would outlast
        the cycle."""
        exc = state.outcome.exception() if state.outcome else None
        hint = getattr(exc, "retry_after", None)
        seconds, left = (float(hint) if hint is not None else self.wait(state)), self.remaining()
        if seconds > left:
            raise BudgetExhausted.outlasting(exc, seconds, left)
        return seconds


def _log_call_retry(operation: str):
    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception()
        log.warning("salesforce.retry", operation=operation, retrying="call",
                    attempt=state.attempt_number, wait=round(state.next_action.sleep, 3),
                    status=getattr(exc, "status", None), code=getattr(exc, "code", None),
                    reason=str(exc))
    return before_sleep


def _log_rows_retry(operation: str, results: list[WriteResult | None]):
    def before_sleep(state: tenacity.RetryCallState) -> None:
        failing = [results[i] for i in state.outcome.result() if results[i] is not None]
        codes = Counter(r.error_code or "UNKNOWN_ERROR" for r in failing)
        log.warning("salesforce.retry", operation=operation, retrying="rows",
                    attempt=state.attempt_number, wait=round(state.next_action.sleep, 3),
                    rows=len(failing), codes=dict(sorted(codes.items())),
                    code=codes.most_common(1)[0][0] if codes else None,
                    reason=next((r.message for r in failing if r.message), None))
    return before_sleep


def _worth_retrying(exc: BaseException) -> bool:
    # A spent daily allocation is for the scheduler (after the reset), never for a loop.
    return isinstance(exc, RetriableError) and not isinstance(exc, BudgetExhausted)


def retry_call(policy: RetryPolicy, operation: str, fn: Callable[[], T]) -> T:
    """Run ``fn``, again after a wait while it raises a short-lived ``RetriableError``."""
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(_worth_retrying),
        stop=tenacity.stop_after_attempt(policy.call_attempts), wait=policy.call_wait,
        sleep=policy.sleep, reraise=True, before_sleep=_log_call_retry(operation))
    return retrying(fn)


def retry_rows(policy: RetryPolicy, operation: str, rows: Sequence[T],
               send: Callable[[list[T]], list[WriteResult]]) -> list[WriteResult]:
    """Send ``rows``; send again only those whose result has a row-retriable code.

    One result per row, in order; after the last attempt a still-failing row keeps its
    retriable code, so the caller can park it and try in a later cycle. The same holds when
    the wait before the next attempt is refused (the cycle's time is up, or it must stop).
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
        sleep=policy.sleep, before_sleep=_log_rows_retry(operation, results),
        retry_error_callback=lambda state: state.outcome.result())
    if rows:
        try:
            retrying(attempt)
        except (BudgetExhausted, CycleStopped):
            if all(r is None for r in results):
                raise
    return [r for r in results if r is not None]
