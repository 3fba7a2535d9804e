"""ReadAhead: the pull's pages fetched on a worker thread while the caller stores earlier ones."""

from __future__ import annotations

import contextvars
import threading
import time

import pytest

from syncd.readahead import ReadAhead


class Source:
    """A paged source that records where and how far it was read, and whether it was closed."""

    def __init__(self, pages: int, *, fail_at: int | None = None, delay: float = 0.0) -> None:
        self.pages, self.fail_at, self.delay = pages, fail_at, delay
        self.produced, self.closed, self.threads = 0, False, set()

    def __call__(self):
        try:
            for n in range(self.pages):
                self.threads.add(threading.current_thread().name)
                if self.fail_at == n:
                    raise ConnectionError(f"page {n} failed")
                time.sleep(self.delay)
                self.produced += 1
                yield n
        finally:
            self.closed = True


def test_every_page_arrives_in_order_and_the_worker_is_done_after():
    source = Source(50)
    with ReadAhead(source, depth=3) as pages:
        assert list(pages) == list(range(50))
    assert source.closed and source.threads == {"syncd-read-ahead"}


def test_a_source_error_arrives_after_the_pages_read_before_it():
    source = Source(10, fail_at=4)
    got = []
    with pytest.raises(ConnectionError, match="page 4 failed"), ReadAhead(source, depth=8) as pages:
        for page in pages:
            got.append(page)
    assert got == [0, 1, 2, 3]


def test_reads_stay_at_most_depth_ahead_of_a_slow_caller():
    source, ahead = Source(40), []
    with ReadAhead(source, depth=2) as pages:
        for n, _ in enumerate(pages, start=1):
            time.sleep(0.005)  # storing takes longer than reading
            ahead.append(source.produced - n)
    assert max(ahead) <= 3  # the queue's 2, plus the page the worker holds while the queue is full


def test_leaving_early_stops_the_worker_and_closes_the_source():
    source = Source(1000, delay=0.001)
    with pytest.raises(RuntimeError), ReadAhead(source, depth=4) as pages:
        for page in pages:
            if page == 5:
                raise RuntimeError("the store failed")
    assert source.closed and source.produced <= 5 + 1 + 4 + 1
    assert not any(t.name.startswith("syncd-read-ahead") for t in threading.enumerate())


def test_depth_zero_reads_on_the_callers_thread():
    source = Source(5)
    with ReadAhead(source, depth=0) as pages:
        assert list(pages) == [0, 1, 2, 3, 4]
    assert source.threads == {threading.current_thread().name}


def test_the_worker_sees_the_callers_context():
    run = contextvars.ContextVar("run", default=None)
    seen = []

    def source():
        seen.append(run.get())
        yield 1

    run.set("r1")
    with ReadAhead(source, depth=2) as pages:
        assert list(pages) == [1]
    assert seen == ["r1"]


def test_a_negative_depth_is_refused():
    with pytest.raises(ValueError, match="depth"):
        ReadAhead(Source(1), depth=-1)


def test_several_sources_are_read_side_by_side_each_in_its_own_order():
    a, b = Source(30, delay=0.002), Source(20, delay=0.002)
    with ReadAhead(lambda: (("a", n) for n in a()), lambda: (("b", n) for n in b()), depth=3) as pages:
        got = list(pages)
    assert [n for s, n in got if s == "a"] == list(range(30)) and [n for s, n in got if s == "b"] == list(range(20))
    assert a.threads.isdisjoint(b.threads) and a.closed and b.closed
    interleaved = [s for s, _ in got]
    assert interleaved != sorted(interleaved)  # b's pages did not wait for the end of a


def test_one_failing_source_stops_the_others():
    slow, failing = Source(10_000, delay=0.001), Source(10, fail_at=3)
    with pytest.raises(ConnectionError), ReadAhead(slow, failing, depth=2) as pages:
        list(pages)
    assert slow.closed and slow.produced < 10_000
    assert not any(t.name.startswith("syncd-read-ahead") for t in threading.enumerate())


def test_without_read_ahead_sources_are_read_in_turn_and_closed_when_left():
    a, b = Source(3), Source(3)
    with ReadAhead(a, b, depth=0) as pages:
        assert list(pages) == [0, 1, 2, 0, 1, 2]
    c, d = Source(5), Source(5)
    with ReadAhead(c, d, depth=0) as pages:
        for page in pages:
            if page == 1:
                break
    assert c.closed and d.produced == 0
