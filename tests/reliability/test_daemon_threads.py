"""Many cycles in one daemon leave the thread count flat (no watcher thread per cycle)."""

from __future__ import annotations

import threading
import time

from syncd.app import open_app
from syncd.daemon import Daemon


def _settled_thread_count(expected_at_most: int, timeout: float = 5.0) -> int:
    """Threads alive once cancelled timers have had a moment to end (polled, not slept)."""
    deadline = time.monotonic() + timeout
    count = threading.active_count()
    while count > expected_at_most and time.monotonic() < deadline:
        time.sleep(0.02)  # waiting for other threads to exit; nothing to inject
        count = threading.active_count()
    return count


def test_thread_count_stays_flat_over_many_cycles(config_path):
    app = open_app(config_path)
    try:
        daemon = Daemon(app)
        sync = next(job for job in daemon._jobs() if job.name == "sync")
        assert daemon.ops.runner.run(sync) == "ok"  # first cycle: pools and sessions warm up
        before = _settled_thread_count(threading.active_count())
        statuses = [daemon.ops.runner.run(sync) for _ in range(25)]
        after = _settled_thread_count(before)
        daemon.stop.set()
    finally:
        app.close()
    assert statuses == ["ok"] * 25
    assert after <= before, f"{after - before} thread(s) left behind by 25 cycles"
