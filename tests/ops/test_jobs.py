"""Schedules and the job runner: triggers from config, one instance per job, missed runs
coalesced, a per-run timeout, standby replicas doing nothing, a clean stop."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from structlog.testing import capture_logs

from syncd.config.schema import Config
from syncd.errors import SyncdError
from syncd.ops.jobs import JOB_DEFAULTS, JobRunner, JobSpec, trigger_for
from syncd.store.guard import LeaseLost

T0 = datetime(2026, 11, 2, 1, 1, tzinfo=UTC)


class Gate:
    def __init__(self, held: bool = True) -> None:
        self.held = held

    def holds(self) -> bool:
        return self.held


def spec(work, *, timeout: float = 60.0, needs_lease: bool = True) -> JobSpec:
    return JobSpec(name="job", trigger=trigger_for(interval_minutes=1, cron=None),
                   timeout_seconds=timeout, work=work, needs_lease=needs_lease)


def test_triggers_come_from_config():
    config = Config.model_validate({"schedule": {"cron": "*/10 * * * *", "audit": {"cron": "15 3 * * sun"},
                                                 "offline": {"enabled": True, "interval_minutes": 2}}})
    s = config.schedule
    sync = trigger_for(interval_minutes=s.interval_minutes, cron=s.cron)
    audit = trigger_for(interval_minutes=s.audit.interval_minutes, cron=s.audit.cron)
    offline = trigger_for(interval_minutes=s.offline.interval_minutes, cron=s.offline.cron)
    assert isinstance(sync, CronTrigger) and sync.get_next_fire_time(None, T0) == T0 + timedelta(minutes=9)
    assert audit.get_next_fire_time(None, T0) == datetime(2026, 11, 8, 3, 15, tzinfo=UTC)  # a Sunday
    assert isinstance(offline, IntervalTrigger) and offline.interval == timedelta(minutes=2)
    assert Config().schedule.audit.cron == "30 2 * * *" and not Config().schedule.offline.enabled


@pytest.mark.parametrize("schedule,message", [
    ({"cron": "0 * * * *", "interval_minutes": 5}, "not both"),
    ({"audit": {"cron": "0 2 * * 1"}}, "name the days of the week"),
    ({"audit": {"cron": "0 25 * * *"}}, "higher than the maximum"),
    ({"audit": {"enabled": True}}, "either 'interval_minutes' or 'cron'"),
    ({"offline": {"interval_minutes": 1, "cron": "0 * * * *"}}, "either 'interval_minutes' or 'cron'"),
    ({"audit": {"cron": "0 2 * *"}}, "Wrong number of fields"),
])
def test_bad_schedules_are_refused_with_the_reason(schedule, message):
    with pytest.raises(ValueError, match=message):
        Config.model_validate({"schedule": schedule})


@pytest.mark.parametrize("work,status", [
    (lambda stop: None, "ok"),
    (lambda stop: (_ for _ in ()).throw(SyncdError("bad")), "failed"),
    (lambda stop: 1 / 0, "failed"),
    (lambda stop: (_ for _ in ()).throw(LeaseLost("taken over")), "stepped_down"),
])
def test_runner_statuses(work, status):
    seen = []
    runner = JobRunner(gate=Gate(), on_result=lambda job, s: seen.append((job, s)))
    with capture_logs() as logs:
        assert runner.run(spec(work)) == status
    assert seen == [("job", status)]
    assert {"event": "job.finished", "job": "job", "status": status, "log_level": "info"} in logs


def test_a_standby_replica_does_no_work():
    called = []
    runner = JobRunner(gate=Gate(held=False))
    assert runner.run(spec(lambda stop: called.append(1))) == "standby"
    assert runner.run(spec(lambda stop: called.append(2), needs_lease=False)) == "ok"
    assert called == [2]


def test_a_run_past_its_timeout_is_asked_to_stop():
    runner = JobRunner(gate=Gate())
    reasons = []

    def work(stop):
        assert stop.wait(timeout=30)  # set by the timer well before that
        reasons.append(stop.reason)

    assert runner.run(spec(work, timeout=0.05)) == "timeout"
    assert reasons == ["timeout"]


def test_stop_all_reaches_running_jobs_and_refuses_new_ones():
    runner = JobRunner(gate=Gate())
    started, result = threading.Event(), []

    def work(stop):
        started.set()
        stop.wait(timeout=30)
        result.append(stop.reason)

    thread = threading.Thread(target=lambda: result.append(runner.run(spec(work))))
    thread.start()
    assert started.wait(timeout=10)
    assert not runner.wait_idle(0)
    runner.stop_all()
    assert runner.wait_idle(10)
    thread.join(timeout=10)
    assert result == ["daemon stopping", "ok"]
    assert runner.run(spec(lambda stop: None)) == "stopping"


def test_one_instance_per_job_and_missed_runs_coalesced():
    scheduler = BackgroundScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
    release, runs = threading.Event(), []

    def slow():
        runs.append("run")
        release.wait(timeout=30)

    scheduler.start(paused=True)
    try:
        past = datetime.now(UTC) - timedelta(minutes=10)  # ten one-minute runs missed
        scheduler.add_job(slow, "interval", minutes=1, next_run_time=past, id="sync")
        scheduler.resume()
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while not runs and datetime.now(UTC) < deadline:
            release.wait(0.01)
        scheduler.modify_job("sync", next_run_time=datetime.now(UTC))  # while it runs
        release.wait(0.2)
        assert runs == ["run"], "missed runs coalesced into one; no second instance"
    finally:
        release.set()
        scheduler.shutdown(wait=True)


def test_the_daemon_schedules_sync_audit_and_the_offline_drop_folder(config_path):
    from syncd.app import open_app
    from syncd.daemon import Daemon

    config_path.write_text(config_path.read_text() + '\n[schedule.offline]\nenabled = true\n'
                           'interval_minutes = 5\n[schedule.audit]\ncron = "0 4 * * *"\ntimeout_minutes = 20\n')
    app = open_app(config_path, standby=True)
    try:
        with capture_logs() as logs:
            jobs = Daemon(app)._jobs()
    finally:
        app.close()
    assert [j.name for j in jobs] == ["sync", "audit", "offline"]
    assert jobs[1].timeout_seconds == 20 * 60 and isinstance(jobs[1].trigger, CronTrigger)
    assert not any(e["event"] == "job.unavailable" for e in logs)


def test_the_writer_closes_runs_left_running_by_a_stopped_process(config_path):
    from syncd.app import open_app
    from syncd.ops.runtime import Operations
    from syncd.report.queries import last_finished_run

    app = open_app(config_path)
    try:
        app.store.start_run("crashed", now=T0)
        ops = Operations(engine=app.store.engine, guard=app.store.guard)
        assert ops.close_abandoned_runs() == 1 and ops.close_abandoned_runs() == 0
        assert last_finished_run(app.store.engine)["status"] == "abandoned"
    finally:
        app.close()


def test_the_offline_job_runs_the_drop_folder_import_once_it_exists(config_path, monkeypatch):
    import types

    from syncd.app import open_app
    from syncd.daemon import Daemon

    calls = []
    module = types.ModuleType("syncd.offline.job")
    module.run_drop_folder = lambda app, *, stop: calls.append((app, stop))
    monkeypatch.setitem(sys.modules, "syncd.offline.job", module)
    config_path.write_text(config_path.read_text() + '\n[schedule.offline]\nenabled = true\ninterval_minutes = 5\n')
    app = open_app(config_path)
    try:
        daemon = Daemon(app)
        offline = [j for j in daemon._jobs() if j.name == "offline"]
        assert len(offline) == 1 and offline[0].timeout_seconds == 60 * 60  # the default per-job timeout
        assert daemon.ops.runner.run(offline[0]) == "ok"
    finally:
        app.close()
    assert len(calls) == 1 and calls[0][0] is app
