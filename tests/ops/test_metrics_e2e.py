"""The daemon's probes and metrics over HTTP after real sandbox cycles: every series equals
what the cycle summary (the ``runs`` table) and the store say."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections import Counter

import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from syncd.ops.metrics import RECORD_OUTCOMES
from tests.ops.replicas import Daemon, wait_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_ops(config_path, port: int, interval: float = 1):
    text = config_path.read_text().replace("interval_minutes = 1", f"interval_minutes = {interval}")
    config_path.write_text(text + f'\n[ops]\nport = {port}\nhost = "127.0.0.1"\n')
    return config_path


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _store(config_path):
    engine = sa.create_engine(f"sqlite:///{config_path.parent / 'state.db'}")
    try:
        with engine.connect() as conn:
            runs = [json.loads(s) if isinstance(s, str) else s for s in conn.scalars(
                sa.text("SELECT summary FROM runs WHERE status = 'ok' ORDER BY started_at"))]
            rejects = dict(conn.execute(sa.text("SELECT code, count(*) FROM rejects GROUP BY code")).all())
            pending = conn.scalar(sa.text("SELECT count(*) FROM contacts WHERE pending AND NOT archived "
                                          "AND merged_into IS NULL"))
            review = conn.scalar(sa.text("SELECT count(*) FROM review_queue"))
    finally:
        engine.dispose()
    return runs, rejects, pending, review


def _refusable(sandbox) -> None:
    """Two contacts without an email: skipped, with a NO_EMAIL reject each."""
    contacts = [c for c in sandbox.dump()["hubspot"]["contacts"] if not c["archived"]]
    for contact in contacts[:2]:
        sandbox.hubspot_state.upsert_contact({"email": ""}, id=contact["id"])


def test_metrics_equal_the_cycle_summary(config_path, sandbox, tmp_path):
    _refusable(sandbox)
    port = _free_port()
    daemon = Daemon(_with_ops(config_path, port), tmp_path / "daemon.log")
    try:
        assert wait_for(lambda: daemon.has("job.finished", job="sync", status="ok")), daemon.out.read_text()[-3000:]
        base = f"http://127.0.0.1:{port}"
        assert _get(base + "/healthz")[0] == 200 and _get(base + "/readyz")[0] == 200
        status, text = _get(base + "/metrics")
        runs, rejects, pending, review = _store(config_path)
    finally:
        assert daemon.stop(timeout=30) == 0
    got = _samples(text)
    assert status == 200 and len(runs) == 1
    summary = runs[0]
    assert got[("syncd_cycles_total", (("status", "ok"),))] == 1
    assert got[("syncd_cycles_total", (("status", "failed"),))] == 0
    for outcome in RECORD_OUTCOMES:
        assert got[("syncd_records_total", (("outcome", outcome),))] == summary[outcome], outcome
    for system in ("hubspot", "salesforce"):
        assert got[("syncd_api_calls_total", (("system", system),))] == summary["api_calls"][system]
        assert got[("syncd_api_budget_remaining", (("system", system),))] == summary["budget_left"][system]
    assert {labels[0][1]: v for (name, labels), v in got.items() if name == "syncd_rejects_total"} == rejects
    assert rejects.get("NO_EMAIL") == summary["skipped"] == 2
    assert sum(rejects.values()) == summary["rejected"] + summary["skipped"]
    assert got[("syncd_cycle_duration_seconds_count", ())] == 1
    assert abs(got[("syncd_cycle_duration_seconds_sum", ())] - summary["seconds"]) < 1e-6
    assert got[("syncd_pending_contacts", ())] == pending
    assert got[("syncd_review_queue_size", ())] == review == summary["review"]
    assert got[("syncd_sla_breaches", ())] == 0
    assert [v for (name, _), v in got.items() if name == "syncd_lease_holder"] == [1.0]
    assert got[("syncd_job_runs_total", (("job", "sync"), ("status", "ok")))] == 1


def test_unreachable_apis_make_the_daemon_unready_but_alive(config_path, sandbox, tmp_path):
    sandbox.stop()  # both APIs gone
    port = _free_port()
    daemon = Daemon(_with_ops(config_path, port, interval=0.05), tmp_path / "daemon.log")
    try:
        assert wait_for(lambda: daemon.has("job.finished", job="sync", status="failed"))
        base = f"http://127.0.0.1:{port}"
        assert _get(base + "/healthz")[0] == 200
        status, body = _get(base + "/readyz")
        checks = json.loads(body)["checks"]
        metrics = _samples(_get(base + "/metrics")[1])
    finally:
        assert daemon.stop(timeout=30) == 0
    assert status == 503 and checks["store"]["ok"] and not checks["last_cycle"]["ok"]
    assert Counter(c["ok"] for name, c in checks.items() if name in ("hubspot", "salesforce"))[False] == 1
    assert metrics[("syncd_cycles_total", (("status", "failed"),))] >= 1
    assert daemon.proc.returncode == 0 and not daemon.has("cycle.completed")
