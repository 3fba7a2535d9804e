"""Budgets end cycles, never sleep through them; every wait ends at once on stop; the
heartbeat and ``syncd healthcheck`` tell waiting for the API budget apart from a hung daemon."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from syncd.cli import main
from syncd.errors import BudgetExhausted, CycleStopped, RetriableError
from syncd.pacing import WAITING, Pacer
from syncd.runner import write_heartbeat

T0 = datetime(2026, 5, 4, 12, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def monotonic(self) -> float:
        return self.t


def test_a_wait_longer_than_the_cycle_has_left_ends_the_cycle():
    clock = Clock()
    pacer = Pacer(monotonic=clock.monotonic, wall=lambda: T0)
    with pacer.cycle(stop=threading.Event(), seconds=600):
        clock.t = 590
        with pytest.raises(BudgetExhausted) as ended:
            pacer(3600)
    assert ended.value.resets_at == pytest.approx(datetime.now(UTC) + timedelta(seconds=3600),
                                                  abs=timedelta(seconds=5))


def test_a_stop_ends_a_wait_at_once():
    stop, pacer = threading.Event(), Pacer()
    with pacer.cycle(stop=stop, seconds=3600):
        threading.Timer(0.05, stop.set).start()
        started = time.monotonic()
        with pytest.raises(CycleStopped):
            pacer(600)  # would be ten minutes
    assert time.monotonic() - started < 1.0


def test_status_says_waiting_until_a_spent_budget_resets():
    pacer = Pacer(wall=lambda: T0)
    assert pacer.status() == {"state": "idle"}
    with pacer.cycle(stop=None, seconds=60):
        assert pacer.status()["state"] == "cycle"
    spent = BudgetExhausted("m", limit="HubSpot daily API limit", resets_at=T0 + timedelta(hours=3),
                            system="hubspot", operation="op")
    pacer.budget_spent(spent)
    assert pacer.status() == {"state": WAITING, "limit": "HubSpot daily API limit",
                              "until": (T0 + timedelta(hours=3)).isoformat(timespec="seconds")}


def _heartbeat(tmp_path, monkeypatch, status, age=5):
    config = tmp_path / "config.toml"
    config.write_text(f'[logging]\nheartbeat_file = "{tmp_path / "hb"}"\n[schedule]\nrun_timeout_minutes = 30\n')
    write_heartbeat(tmp_path / "hb", status)
    text = (tmp_path / "hb").read_text().split("\n", 1)
    (tmp_path / "hb").write_text(f"{float(text[0]) - age:.0f}\n{text[1]}")
    return ["healthcheck", "--config", str(config)]


@pytest.mark.parametrize(("status", "age", "code", "says"), [
    ({"state": WAITING, "limit": "HubSpot daily API limit", "until": "2099-01-01T00:00:00+00:00"}, 5, 0,
     "healthy: waiting for API budget (HubSpot daily API limit) until 2099"),
    ({"state": "cycle", "cycle_started": (datetime.now(UTC) - timedelta(minutes=5)).isoformat()}, 5, 0,
     "healthy: cycle"),
    ({"state": "cycle", "cycle_started": (datetime.now(UTC) - timedelta(hours=2)).isoformat()}, 5, 1,
     "it is hung"),
    ({"state": WAITING, "limit": "HubSpot daily API limit", "until": "2099-01-01T00:00:00+00:00"}, 600, 1,
     "not running or its scheduler is stuck"),
])
def test_healthcheck_tells_waiting_from_hung(tmp_path, monkeypatch, capsys, status, age, code, says):
    assert main(_heartbeat(tmp_path, monkeypatch, status, age)) == code
    out = capsys.readouterr()
    assert says in (out.out + out.err)


def _daily_used(sandbox) -> int:
    e = sandbox.endpoints
    request = urllib.request.Request(f"{e.hubspot_url}/crm/v3/objects/contacts?limit=1",
                                     headers={"Authorization": f"Bearer {e.hubspot_token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.headers["X-HubSpot-RateLimit-Daily"]) - int(
            response.headers["X-HubSpot-RateLimit-Daily-Remaining"])


def _events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _runs(config_path):
    engine = sa.create_engine(f"sqlite:///{config_path.parent / 'state.db'}")
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.text(
                "SELECT status, error FROM runs ORDER BY started_at")).mappings()]
    finally:
        engine.dispose()


def test_a_spent_hubspot_daily_limit_ends_syncd_once_at_once(config_path, sandbox, capsys):
    assert main(["once", "--config", str(config_path)]) == 0
    sandbox.drift(0)
    sandbox.hubspot_settings.daily_limit = _daily_used(sandbox) + 3  # runs out mid-cycle
    capsys.readouterr()
    started = time.monotonic()
    code = main(["once", "--config", str(config_path)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    logs = _events(out)
    assert code == 3 and elapsed < 20, (code, elapsed)
    ended = [e for e in logs if e["event"] == "cycle.budget_exhausted"]
    assert len(ended) == 1 and "HubSpot daily" in ended[0]["limit"]  # the portal's or syncd's share
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert ended[0]["resets_at"] == midnight.isoformat(timespec="seconds")
    assert f"{ended[0]['limit']} reached" in err and "busy" not in err and "Traceback" not in err
    assert [e for e in logs if e["event"] == "hubspot.retry"] == []
    assert _runs(config_path)[-1]["status"] == "budget_exhausted"
    sandbox.hubspot_settings.daily_limit = 1_000_000  # the next day
    assert main(["once", "--config", str(config_path)]) == 0


def test_a_spent_salesforce_allocation_is_named_and_not_busy(config_path, sandbox, capsys):
    sandbox.salesforce_settings.daily_api_limit = 3
    assert main(["once", "--config", str(config_path)]) == 3
    out, err = capsys.readouterr()
    logs = _events(out)
    assert "Salesforce daily API request limit reached" in err and "busy" not in err
    ended = next(e for e in logs if e["event"] == "cycle.budget_exhausted")
    assert ended["code"] == "REQUEST_LIMIT_EXCEEDED" and ended["system"] == "salesforce"
    assert not any(e["event"] == "salesforce.retry" for e in logs)


def test_the_daemon_waits_for_the_budget_visibly_and_stops_at_once(config_path, sandbox, tmp_path):
    sandbox.hubspot_settings.daily_limit = 1
    _daily_used(sandbox)  # the one call of the day
    out = tmp_path / "daemon.log"
    with out.open("w") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "syncd.cli", "run", "--config", str(config_path)],
                                stdout=stdout, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and "cycle.next_after_budget_reset" not in out.read_text():
                time.sleep(0.1)  # watching another process
            heartbeat = config_path.parent / "heartbeat"
            while time.monotonic() < deadline and WAITING not in heartbeat.read_text():
                time.sleep(0.1)
            check = subprocess.run([sys.executable, "-m", "syncd.cli", "healthcheck", "--config",
                                    str(config_path)], capture_output=True, text=True, timeout=60)
            assert check.returncode == 0 and "waiting for API budget (" in check.stdout, check
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert time.monotonic() - started < 3
        finally:
            if proc.poll() is None:
                proc.kill()
    lines = [json.loads(line) for line in out.read_text().splitlines() if line.startswith("{")]
    resumed = next(e for e in lines if e["event"] == "cycle.next_after_budget_reset")
    assert resumed["next_run_time"].endswith("T00:00:00+00:00")
    assert "Traceback" not in out.read_text()
    assert not any(e["event"] == "hubspot.retry" for e in lines)


def test_retriable_errors_are_still_retried_within_the_cycle():
    from connectors.hubspot.retry import call_with_retries

    clock, waits = Clock(), []
    pacer = Pacer(monotonic=clock.monotonic)
    calls = []

    def fn():
        calls.append(1)
        if len(calls) < 3:
            raise RetriableError("busy", retry_after=10, system="hubspot", operation="op", status=429)
        return "ok"

    with pacer.cycle(stop=None, seconds=600):
        assert call_with_retries(fn, attempts=5, sleep=_Recording(pacer, waits)) == "ok"
    assert waits == [10, 10] and len(calls) == 3


class _Recording:
    """A pacer whose waits are recorded instead of waited (its bounds still apply)."""

    def __init__(self, pacer: Pacer, waits: list) -> None:
        self.pacer, self.waits = pacer, waits

    def remaining(self) -> float:
        return self.pacer.remaining()

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
