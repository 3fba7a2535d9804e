"""The pull's read-ahead changes when pages are fetched, never what a cycle does: the same
seeded world synced with read-ahead on and off ends in the same state on both sides."""

from __future__ import annotations

from datetime import UTC, datetime

from syncd.app import open_app
from syncd.clock import FixedClock
from syncd.demo import write_sandbox_config
from syncd.runner import run_once
from syncd_sandbox.runtime import Sandbox

START = datetime(2026, 11, 24, 10, tzinfo=UTC)
CONTACTS = 5000


def _synced(tmp_path, read_ahead: int) -> tuple[dict, dict, dict]:
    """(the sandbox's HubSpot and Salesforce after one cycle, the cycle's counts)."""
    clock = FixedClock(START)
    work = tmp_path / f"read_ahead_{read_ahead}"
    with Sandbox.start(seed=7, contacts=CONTACTS, clock=clock, now=START, workdir=work / "sandbox") as sandbox:
        sandbox.update_settings("hubspot", {"search_per_second": None, "rate_limit_per_10s": None})
        config = write_sandbox_config(sandbox.endpoints, work / "syncd")
        text = config.read_text().replace("[hubspot]\n", f"[hubspot]\nread_ahead_pages = {read_ahead}\n"
                                          "search_per_second = 50\n", 1)
        config.write_text(text.replace("rate_limit_per_10s = 190", "rate_limit_per_10s = 1000"))
        app = open_app(config, clock=clock)
        try:
            assert app.deps().read_ahead == read_ahead
            summary = run_once(app).to_dict()
        finally:
            app.close()
        dump = sandbox.dump()
    counts = {k: v for k, v in summary.items()
              if k not in ("run_id", "seconds", "step_seconds", "budget_left", "api_calls", "api_calls_by_endpoint")}
    return dump["hubspot"], dump["salesforce"], counts


def test_read_ahead_on_and_off_end_in_the_same_state(tmp_path):
    hs_on, sf_on, counts_on = _synced(tmp_path, read_ahead=4)
    hs_off, sf_off, counts_off = _synced(tmp_path, read_ahead=0)
    assert counts_on["pulled"] >= CONTACTS and counts_on["created"] > 1000  # a real first cycle
    assert counts_on == counts_off
    assert sf_on == sf_off
    assert hs_on == hs_off
