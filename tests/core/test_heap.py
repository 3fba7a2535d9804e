"""Start-up's long-lived objects are frozen once per process, out of the collector's scans."""

from __future__ import annotations

import gc
import subprocess
import sys


def test_the_first_call_freezes_what_is_alive_and_later_calls_do_nothing():
    code = ("import gc; from syncd.heap import freeze_startup; kept = [object() for _ in range(1000)]; "
            "first = freeze_startup(); frozen = gc.get_freeze_count(); "
            "print(first, frozen >= 1000, freeze_startup(), gc.get_freeze_count() == frozen)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True", "False", "True"]
    assert gc.isenabled()  # collection goes on for everything made afterwards


def test_after_start_up_the_young_generation_is_collected_every_10000_allocations():
    code = ("import gc; from syncd.heap import freeze_startup; before = gc.get_threshold(); freeze_startup(); "
            "print(before[0] < 10000, *gc.get_threshold())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "10000", "10", "10"]  # Python's own default is 700 here


_ARENAS = """
import ctypes, os, sys, tempfile, threading
from syncd.heap import limit_malloc_arenas
limited = limit_malloc_arenas() if sys.argv[1] == "limit" else None
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.malloc.restype = ctypes.c_void_p
go = threading.Barrier(8)
def work():
    go.wait()  # all eight allocate at once
    blocks = [libc.malloc(32768) for _ in range(50)]
    for b in blocks:
        libc.free(ctypes.c_void_p(b))
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
path = os.path.join(tempfile.mkdtemp(), "info.xml")
fp = libc.fopen(path.encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(fp))
libc.fclose(ctypes.c_void_p(fp))
print(limited, open(path).read().count("<heap nr="))
"""


def _arenas(mode: str, **env: str) -> tuple[str, int]:
    import os

    out = subprocess.run([sys.executable, "-c", _ARENAS, mode], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env).stdout.split()
    return out[0], int(out[1])


def test_threads_share_two_malloc_arenas_unless_the_operator_chose_otherwise():
    """Eight threads allocating at once get arenas of their own by default; after
    ``limit_malloc_arenas`` they share two, so what one frees the next can use."""
    assert _arenas("default")[1] > 2
    assert _arenas("limit") == ("True", 2)
    assert _arenas("limit", MALLOC_ARENA_MAX="4") == ("False", 4)  # glibc applies the operator's value


def test_the_command_line_limits_the_arenas_before_the_command_runs(monkeypatch, tmp_path):
    import syncd.heap
    from syncd.cli import main

    calls: list[str] = []
    monkeypatch.setattr(syncd.heap, "limit_malloc_arenas", lambda: calls.append("limited"))
    assert main(["check-config", "--config", str(tmp_path / "missing.toml")]) == 2
    assert calls == ["limited"]
