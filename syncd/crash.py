"""Unexpected exceptions: the full traceback goes to a file, the user gets one line.

``SYNCD_CRASH_DIR`` chooses the directory (default: ``syncd-crashes`` in the system's temp
directory), so a container can keep them on a volume.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["crash_dir", "one_line", "record_crash"]


def crash_dir() -> Path:
    return Path(os.environ.get("SYNCD_CRASH_DIR") or Path(tempfile.gettempdir()) / "syncd-crashes")


def record_crash(exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback to a new file and return its path (``None`` if that fails)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = crash_dir() / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        return None
    return path


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (control characters escaped)."""
    from syncd.textsafe import printable

    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return printable(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)
