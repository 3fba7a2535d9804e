"""Two real daemons on one PostgreSQL state store against the sandbox: one writer at a time,
failover within the lease's TTL plus one renewal, and a resumed former leader fenced off."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd_sandbox.runtime import Sandbox
from tests.conftest import _pg_schema_url
from tests.ops.replicas import Daemon, record_writes, wait_for

TTL = 3.0
RENEW = TTL / 3
SLACK = 1.5  # the standby's scheduler tick and this test's polling
WRITE_LATENCY_MS = 1200  # the paused leader's write lands well before the new leader reads
# Salesforce (TTL + renewal)


@pytest.fixture
def pg_url():
    yield from _pg_schema_url()


def _config(sandbox, workdir, url):
    path = write_sandbox_config(sandbox.endpoints, workdir, mappings=DEFAULT_MAPPINGS, state_url=url)
    text = path.read_text().replace("[state]", f"[state]\nlease_ttl_seconds = {TTL}")
    path.write_text(text.replace("interval_minutes = 1", "interval_minutes = 0.05\ndrain_seconds = 10"))
    return path


@pytest.mark.postgres
def test_one_writer_failover_and_fencing(tmp_path, pg_url, monkeypatch):
    writes = record_writes(monkeypatch)
    standby_up, paused = threading.Event(), []

    def pause_leader():  # the leader's first write has arrived: pause it in the middle of that
        standby_up.wait(timeout=120)  # write, once the standby runs (however slow its start)
        a.signal(signal.SIGSTOP)
        paused.append(time.monotonic())

    writes.on_first = pause_leader
    faults = f"salesforce:re:^(PATCH .*/composite/sobjects|POST .*/composite$):latency={WRITE_LATENCY_MS}"
    with Sandbox.start(seed=3, contacts=60, workdir=tmp_path / "sandbox", faults=faults) as sandbox:
        a = Daemon(_config(sandbox, tmp_path / "a", pg_url), tmp_path / "a.log")
        b = None
        try:
            assert wait_for(lambda: a.has("leader.elected")), a.out.read_text()[-3000:]
            b = Daemon(_config(sandbox, tmp_path / "b", pg_url), tmp_path / "b.log")
            assert wait_for(lambda: b.has("daemon.started"))
            standby_up.set()
            assert wait_for(lambda: paused), a.out.read_text()[-3000:]
            paused_at = paused[0]
            leader_token = writes.writers()[0]
            assert wait_for(lambda: b.has("leader.elected"), timeout=TTL + RENEW + 20)
            failover = time.monotonic() - paused_at
            assert wait_for(lambda: b.has("cycle.completed"), timeout=90), b.out.read_text()[-3000:]
            time.sleep(max(0.0, WRITE_LATENCY_MS / 1000 - (time.monotonic() - paused_at)))
            a.signal(signal.SIGCONT)
            assert wait_for(lambda: a.has("job.finished", job="sync", status="stepped_down"), timeout=30), \
                a.out.read_text()[-3000:]
            assert wait_for(lambda: a.has("leader.standby"), timeout=10)
        finally:
            standby_up.set()
            codes = [d.stop(timeout=30) for d in (a, b) if d is not None]
        dump = sandbox.dump()["salesforce"]
    assert codes == [0] * len(codes)
    print(f"failover: {failover:.2f} s (TTL {TTL} s + renewal {RENEW} s)")
    assert failover <= TTL + RENEW + SLACK
    assert a.has("lease.lost") and not a.has("cycle.completed")
    _one_writer_at_a_time(writes.calls, paused_at, leader_token)
    _nothing_written_twice(writes.calls, dump, pg_url)


def _one_writer_at_a_time(calls, paused_at, leader_token):
    before = {w.token for w in calls if w.at < paused_at}
    after = {w.token for w in calls if w.at >= paused_at}
    assert before == {leader_token}, "only the leader wrote before it was paused"
    assert leader_token not in after and len(after) == 1, "only the new leader wrote after"


def _nothing_written_twice(calls, dump, pg_url):
    _nothing_sent_again_unchanged(calls)
    carried = Counter(r.get("HubSpot_Id__c") for name in ("Lead", "Contact")
                      for r in dump["objects"].get(name, []) if r.get("HubSpot_Id__c") and not r.get("IsDeleted"))
    assert [hid for hid, n in carried.items() if n > 1] == []
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            dupes = conn.execute(sa.text(
                "SELECT hubspot_id, to_stage, count(*) FROM stage_history "
                "GROUP BY hubspot_id, from_stage, to_stage HAVING count(*) > 1")).all()
            moves = conn.scalar(sa.text("SELECT count(*) FROM stage_history"))
            runs = dict(conn.execute(sa.text("SELECT status, count(*) FROM runs GROUP BY status")).all())
    finally:
        engine.dispose()
    assert dupes == [] and moves > 0
    assert runs.get("abandoned") == 1 and "running" not in runs, runs  # the fenced leader's cycle


_KEYS = ("attributes", "Id", "HubSpot_Id__c", "Syncd_Key__c")


def _nothing_sent_again_unchanged(calls):
    """The new leader sends nothing the paused one had sent: a person is written again only
    with values that changed since (a score decays between the two leaders' cycles, so a
    slow machine may see a rounded figure move), never with a value already sent and never
    with another owner (the run again reaches the same routing)."""
    sent: dict[str, dict] = {}
    again = []
    for w in calls:
        for who, row in zip(w.ids, w.rows, strict=True):
            fields = {k: v for k, v in row.items() if k not in _KEYS}
            before = sent.setdefault(who, {})
            if before and (not fields or "OwnerId" in fields or any(before.get(k) == v for k, v in fields.items())):
                again.append((f"{w.at - calls[0].at:.2f} s", w.token[-8:], w.what, who, row, before))
            before.update(fields)
    assert again == []
