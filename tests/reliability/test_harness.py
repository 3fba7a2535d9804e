"""The crash-and-fault harness, short version: syncd as real processes against the sandbox.

Every run converges and is compared with a clean run of the same seeded scenario: nothing
lost, no duplicate Lead / Contact / Task, no duplicate stage history row. The long version
(100+ kills, a table of figures) is ``bench/bench_reliability.py``.
"""

from __future__ import annotations

import pytest

from tests.reliability.endstate import EndState, compare
from tests.reliability.harness import Scenario, run_scenario, run_two_daemons

STORM = ("hubspot:*:status=429:rate=0.1;hubspot:*:status=503:rate=0.1;hubspot:*:timeout=300:rate=0.1;"
         "salesforce:*:status=503:rate=0.15;salesforce:*:timeout=300:rate=0.15")
LOCKS = "salesforce.lock_error_rate=0.3"
TOKENS = "salesforce.session_ttl_seconds=1;salesforce:*:expire_sessions:rate=0.2"
_CLEAN: dict[int, EndState] = {}


@pytest.fixture
def clean(tmp_path_factory):
    """The end state of a clean run with ``phases`` phases (one per test worker)."""
    def get(phases: int) -> EndState:
        if phases not in _CLEAN:
            report = run_scenario(Scenario(phases=phases), tmp_path_factory.mktemp(f"clean{phases}"))
            assert report.converged and report.tracebacks == 0
            _CLEAN[phases] = report.end
        return _CLEAN[phases]
    return get


def _assert_same_as_clean(clean_end: EndState, report) -> None:
    assert report.converged and report.tracebacks == 0
    result = compare(clean_end, report.end)
    assert result.lost == [] and result.history_duplicates == 0
    assert result.duplicates == {"Lead": 0, "Contact": 0, "Task": 0}


def test_twenty_random_kills_lose_and_duplicate_nothing(clean, tmp_path):
    report = run_scenario(Scenario(phases=3, kills=20), tmp_path, rng_seed=11)
    assert report.kills >= 20 and report.kill_points.get("salesforce", 0) >= 1
    _assert_same_as_clean(clean(3), report)


@pytest.mark.parametrize(("name", "scenario"), [
    ("storm", Scenario(phases=2, faults=STORM)),
    ("locks", Scenario(phases=2, faults=LOCKS)),
    ("tokens", Scenario(phases=2, faults=TOKENS)),
    ("daily-limits", Scenario(phases=2, limits_in_phase=1)),
])
def test_fault_storms_converge_to_the_clean_end_state(clean, tmp_path, name, scenario):
    report = run_scenario(scenario, tmp_path, rng_seed=7)
    _assert_same_as_clean(clean(2), report)
    if name == "storm":
        assert report.call_retries > 0
    if name == "locks":
        assert report.rows_retried > 0
    if name == "daily-limits":
        assert report.cycles_ended_early >= 1


@pytest.mark.parametrize("apart", [0, 4], ids=["together", "4s-apart"])
def test_two_daemons_on_one_store_one_writer(clean, tmp_path, store_url, apart):
    report = run_two_daemons(Scenario(phases=2), tmp_path, apart=apart, state_url=store_url)
    assert report.tracebacks == 0 and report.end is not None
    assert sorted(report.cycles)[0] == 0 and max(report.cycles) >= 2  # one worked, one did not
    if store_url.startswith("sqlite"):  # started together, either may be the one refused
        assert sorted(report.exit_codes) == [0, 2] and report.seconds_to_refuse is not None
        assert any("is in use by pid" in line and " on host " in line for line in report.refusals)
        refused = report.exit_codes.index(2)
        assert report.cycles[refused] == 0
    else:  # a standby replica: it waits for the lease and changes nothing
        assert report.exit_codes == [0, 0]
    result = compare(clean(2), report.end)
    assert result.lost == [] and result.history_duplicates == 0
    assert result.duplicates == {"Lead": 0, "Contact": 0, "Task": 0}
