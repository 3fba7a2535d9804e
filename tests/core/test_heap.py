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
