"""The process's long-lived objects kept out of the garbage collector's way.

Once the app is built, what is alive (imported modules, the settings, the compiled scoring
model and mapping, the connectors) stays for the life of the process. Python's full
collections would otherwise walk all of it again every time, for nothing; a large cycle
creates enough objects to run dozens of them. ``freeze_startup`` collects once and moves
what is left to the collector's permanent generation (``gc.freeze``), once per process.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["freeze_startup"]

_done = threading.Event()


def freeze_startup() -> bool:
    """Freeze what is alive now, the first time it is called in this process; True then."""
    if _done.is_set():
        return False
    _done.set()
    gc.collect()
    gc.freeze()
    return True
