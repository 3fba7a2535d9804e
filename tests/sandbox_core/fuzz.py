"""The fuzz knobs shared by the emulators' fuzz tests.

The suite runs a bounded, derandomized fuzz: the same examples on every run, fast enough
for every commit. A longer or a fresh exploration is a matter of environment variables:

    SYNCD_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/sandbox_hubspot/test_fuzz.py
    SYNCD_FUZZ_SEED=12345 ...     # random generation from this seed instead of derandomized

A failure prints the request that caused it; add it to the file's regression tests.
"""

from __future__ import annotations

import os

from collections.abc import Callable

from hypothesis import HealthCheck, Phase, seed, settings

__all__ = ["examples", "fuzz_seed", "fuzz_settings"]


def examples(default: int) -> int:
    """Examples per fuzz target: ``$SYNCD_FUZZ_EXAMPLES`` when set, else ``default``."""
    raw = os.environ.get("SYNCD_FUZZ_EXAMPLES", "")
    return int(raw) if raw.strip() else default


def fuzz_settings(default_examples: int) -> Callable:
    """A decorator for a ``@given`` fuzz target: bounded examples, derandomized (or seeded
    from ``$SYNCD_FUZZ_SEED``), no example database (runs do not depend on each other),
    shrinking kept so a failure shows the smallest request found."""
    chosen = fuzz_seed()
    config = settings(max_examples=examples(default_examples), derandomize=chosen is None,
                      database=None, deadline=None, print_blob=True,
                      suppress_health_check=list(HealthCheck),
                      phases=[Phase.explicit, Phase.generate, Phase.shrink])

    def apply(test: Callable) -> Callable:
        test = config(test)
        return seed(chosen)(test) if chosen is not None else test
    return apply


def fuzz_seed() -> int | None:
    """``$SYNCD_FUZZ_SEED`` as an int, or None (derandomized)."""
    seed = os.environ.get("SYNCD_FUZZ_SEED", "").strip()
    return int(seed) if seed else None
