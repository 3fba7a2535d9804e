"""Helpers for tests that run syncd daemons as real processes against the sandbox."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from syncd_sandbox.accounting import CallAccounting


def wait_for(predicate, timeout: float = 60.0, step: float = 0.05) -> bool:
    """Poll another process's output until ``predicate()``; nothing to inject there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Write(NamedTuple):
    """One Salesforce write the sandbox received."""

    at: float  # arrival, monotonic
    token: str  # the sender's session
    what: str  # method and path
    ids: tuple[str, ...]  # the people (HubSpot ids) or tasks (keys) it names, in order
    rows: tuple[dict, ...]  # the records it carries, in the same order


@dataclass
class WriteLog:
    """Every Salesforce write the sandbox received. ``on_first`` (if set) runs once, when the
    next write has arrived and before the sandbox serves it: its sender is then waiting in
    the middle of that write."""

    calls: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    on_first: Callable[[], None] | None = None

    def wrap(self, app):
        def recorder(environ, start_response):
            method = environ.get("REQUEST_METHOD", "")
            path = environ.get("PATH_INFO", "")
            if method in ("POST", "PATCH", "PUT", "DELETE") and ("/sobjects" in path or path.endswith("/composite")):
                body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                environ["wsgi.input"] = io.BytesIO(body)
                rows = _records(body)
                with self.lock:
                    self.calls.append(Write(time.monotonic(), environ.get("HTTP_AUTHORIZATION", ""),
                                            f"{method} {environ['PATH_INFO']}", tuple(map(_person, rows)), rows))
                    first, self.on_first = self.on_first, None
                if first is not None:
                    first()
            return app(environ, start_response)
        return recorder

    def writers(self) -> list[str]:
        with self.lock:
            return [w.token for w in self.calls]


def _records(body: bytes) -> tuple[dict, ...]:
    """The records a write carries: its Collection's, or those of each Collection a
    Composite call carries."""
    try:
        parsed = json.loads(body or b"{}")
        bodies = [sub.get("body") or {} for sub in parsed.get("compositeRequest", [])] or [parsed]
        return tuple(r for b in bodies for r in b.get("records", []))
    except (ValueError, AttributeError):
        return ()


def _person(record: dict) -> str:
    return str(record.get("HubSpot_Id__c") or record.get("Syncd_Key__c") or record.get("Id"))


def record_writes(monkeypatch) -> WriteLog:
    """Put a ``WriteLog`` in front of every sandbox started from now on in this test."""
    log = WriteLog()
    original = CallAccounting.wrap

    def wrap(self, system, app):
        inner = original(self, system, app)
        return log.wrap(inner) if system == "salesforce" else inner

    monkeypatch.setattr(CallAccounting, "wrap", wrap)
    return log


class Daemon:
    """``syncd run`` in its own process, its JSON log lines in a file."""

    def __init__(self, config: Path, out: Path) -> None:
        self.out = out
        self._file = out.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "syncd.cli", "run", "--config", str(config)],
                                     stdout=self._file, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def events(self) -> list[dict]:
        lines = self.out.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def has(self, event: str, **fields) -> bool:
        return any(e.get("event") == event and all(e.get(k) == v for k, v in fields.items())
                   for e in self.events())

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._file.close()
