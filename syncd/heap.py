"""The process's memory: long-lived objects kept out of the garbage collector's way, and
few malloc arenas.

Once the app is built, what is alive (imported modules, the settings, the compiled scoring
model and mapping, the connectors) stays for the life of the process. Python's full
collections would otherwise walk all of it again every time, for nothing; a large cycle
creates enough objects to run dozens of them. ``freeze_startup`` collects once and moves
what is left to the collector's permanent generation (``gc.freeze``), once per process.
It then raises the youngest generation's threshold from 700 allocations to 10,000: a cycle
makes millions of short-lived objects (events, rows, pages) and few reference cycles, and
each young collection also counts toward the older ones. At 100,000 contacts the collector
took 6.3 to 8.6 s of CPU at the default thresholds and 2.4 to 4.9 s at these, with the same
peak RSS (``bench/bench_collector.py --contacts 100000 [--thresholds default]``).

glibc gives each thread that allocates its own malloc arena (up to eight per core), and
memory freed in one arena serves only that arena. A cycle reads pages on several threads
(read-ahead, HubSpot's lanes, the Salesforce sender) and works on another, so what the
readers freed is not reused by the work that follows: at 20,000 contacts the peak was 3–4 MiB
higher with one arena per thread than with two arenas in all (the arenas' locks cost no
measurable CPU; the threads mostly take turns under the GIL). ``limit_malloc_arenas`` sets
two, before any thread starts, unless ``MALLOC_ARENA_MAX`` says otherwise.
"""

from __future__ import annotations

import ctypes
import gc
import os
import threading

__all__ = ["freeze_startup", "limit_malloc_arenas"]

_M_ARENA_MAX = -8  # glibc's mallopt parameter

_done = threading.Event()

# gc.set_threshold's three: allocations (less deallocations) between young collections, then
# collections of the generation below between collections of the middle and of the oldest
COLLECTOR_THRESHOLDS = (10_000, 10, 10)


def freeze_startup() -> bool:
    """Freeze what is alive now and set ``COLLECTOR_THRESHOLDS``, the first time it is called
    in this process; True then."""
    if _done.is_set():
        return False
    _done.set()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    return True


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """With glibc, at most ``arenas`` malloc arenas for the threads started from now on;
    True when set. An operator's ``MALLOC_ARENA_MAX`` (read by glibc itself) is left as is."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
        return ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas) == 1
    except (AttributeError, OSError, ValueError):  # not glibc, or no such call here
        return False
