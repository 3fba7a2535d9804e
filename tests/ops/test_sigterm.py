"""SIGTERM while a cycle is writing: exit 0 within the drain timeout, and nothing lost — the
next start settles every contact, without a duplicate record."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from syncd.cli import main
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd_sandbox.faults import FaultPlan
from syncd_sandbox.runtime import Sandbox
from tests.ops.replicas import Daemon, record_writes, wait_for


def _settled(config_path) -> tuple[int, int]:
    engine = sa.create_engine(f"sqlite:///{config_path.parent / 'state.db'}")
    try:
        with engine.connect() as conn:
            pending = conn.scalar(sa.text("SELECT count(*) FROM contacts WHERE pending AND NOT archived "
                                          "AND merged_into IS NULL"))
            linked = conn.scalar(sa.text("SELECT count(*) FROM id_map"))
    finally:
        engine.dispose()
    return pending, linked


@pytest.mark.parametrize("latency_ms,drain,drained", [(1000, 8.0, True), (8000, 1.5, False)],
                         ids=["writes-finish-within-drain", "write-outlasts-drain"])
def test_sigterm_mid_cycle(tmp_path, monkeypatch, latency_ms, drain, drained):
    writes = record_writes(monkeypatch)
    faults = f"salesforce:re:^PATCH .*/composite/sobjects:latency={latency_ms}"
    with Sandbox.start(seed=3, contacts=60, workdir=tmp_path / "sandbox", faults=faults) as sandbox:
        config_path = write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS)
        config_path.write_text(config_path.read_text().replace(
            "interval_minutes = 1", f"interval_minutes = 1\ndrain_seconds = {drain}"))
        daemon = Daemon(config_path, tmp_path / "daemon.log")
        try:
            assert wait_for(lambda: writes.calls, timeout=60), daemon.out.read_text()[-3000:]
            sent = time.monotonic()
            daemon.signal(signal.SIGTERM)  # a write is in flight
            code = daemon.proc.wait(timeout=drain + 10)
            took = time.monotonic() - sent
        finally:
            daemon.stop(timeout=10)
        assert code == 0 and took <= drain + 2, took
        assert daemon.has("daemon.stopped") and daemon.has("daemon.drain_timeout") is not drained
        assert daemon.has("cycle.completed") is drained
        if not drained:
            assert _settled(config_path)[0] > 0, "the interrupted chunk stayed pending"
        sandbox.apply_plan(FaultPlan())
        assert main(["once", "--config", str(config_path)]) == 0  # the next start resumes
        pending, linked = _settled(config_path)
        assert pending == 0 and linked > 0
        carried = Counter(r["HubSpot_Id__c"] for name in ("Lead", "Contact")
                          for r in sandbox.salesforce_state.records(name) if r.get("HubSpot_Id__c"))
    assert [hid for hid, n in carried.items() if n > 1] == []
