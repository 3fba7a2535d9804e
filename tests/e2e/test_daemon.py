"""`syncd run` as the container runs it: cycles, a heartbeat, JSON logs, a graceful stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from syncd.cli import main


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)  # polling another process's output; nothing to inject there
    return False


def test_daemon_cycles_beats_and_stops_on_sigterm(config_path, tmp_path):
    heartbeat = config_path.parent / "heartbeat"
    out = tmp_path / "stdout.log"
    with out.open("w") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "syncd.cli", "run", "--config", str(config_path)],
                                stdout=stdout, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            assert _wait_for(lambda: "cycle.completed" in out.read_text()), out.read_text()[-2000:]
            assert heartbeat.exists()
            assert main(["healthcheck", "--config", str(config_path), "--max-age", "120"]) == 0
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    events = [json.loads(line)["event"] for line in out.read_text().splitlines() if line.startswith("{")]
    assert events[0] == "daemon.started" and events[-1] == "daemon.stopped"
    assert "daemon.stopping" in events and events.count("cycle.completed") == 1


def test_healthcheck_fails_without_a_fresh_heartbeat(config_path, capsys):
    assert main(["healthcheck", "--config", str(config_path)]) == 1
    assert "no heartbeat" in capsys.readouterr().err
    (config_path.parent / "heartbeat").write_text(f"{time.time() - 600:.0f}\n")
    assert main(["healthcheck", "--config", str(config_path), "--max-age", "120"]) == 1


def test_status_and_check_config_after_a_cycle(config_path, capsys):
    assert main(["check-config", "--config", str(config_path)]) == 0
    assert "valid and match the Salesforce schema" in capsys.readouterr().out
    assert main(["once", "--config", str(config_path)]) == 0
    capsys.readouterr()
    assert main(["status", "--config", str(config_path), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["runs"][0]["status"] == "ok" and status["runs"][0]["summary"]["pulled"] > 0
    assert status["pending"] == 0 and status["cursors"]
    assert main(["status", "--config", str(config_path)]) == 0
    assert "Last runs" in capsys.readouterr().out


def test_explain_by_id_and_by_email(config_path, sandbox, capsys):
    assert main(["once", "--config", str(config_path)]) == 0
    contact = next(c for c in sandbox.dump()["hubspot"]["contacts"]
                   if c["properties"].get("email") and not c["archived"])
    capsys.readouterr()
    assert main(["explain", "--config", str(config_path), contact["id"], "--json"]) == 0
    by_id = json.loads(capsys.readouterr().out)
    assert by_id["contact_id"] == contact["id"] and "score" in by_id and by_id["stage_history"]
    assert all(h["reason"] for h in by_id["stage_history"])
    assert main(["explain", "--config", str(config_path), contact["properties"]["email"].upper()]) == 0
    assert "Stage history" in capsys.readouterr().out
    assert main(["explain", "--config", str(config_path), "nobody@nowhere.example"]) == 1


def test_a_signed_webhook_starts_a_cycle_at_once(config_path, sandbox, tmp_path):
    import socket
    import urllib.request

    from hubspot.utils.signature import Signature

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hooks"
    config_path.write_text(config_path.read_text().replace(
        "[salesforce]", f'[hubspot.webhooks]\nenabled = true\nhost = "127.0.0.1"\nport = {port}\n'
                        f'public_url = "{url}"\nclient_secret_env = "HOOK_SECRET"\n\n[salesforce]', 1))
    out = tmp_path / "stdout.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HOOK_SECRET": "app-secret"}
    with out.open("w") as stdout:
        proc = subprocess.Popen([sys.executable, "-m", "syncd.cli", "run", "--config", str(config_path)],
                                stdout=stdout, stderr=subprocess.STDOUT, env=env)
        try:
            assert _wait_for(lambda: out.read_text().count("cycle.completed") == 1), out.read_text()[-2000:]
            contact = sandbox.dump()["hubspot"]["contacts"][0]["id"]
            sandbox.hubspot_state.upsert_contact({"jobtitle": "Head of RevOps"}, id=contact)
            body = json.dumps([{"eventId": 1, "subscriptionType": "contact.propertyChange",
                                "objectId": int(contact)}])
            stamp = str(int(time.time() * 1000))
            request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
                "Content-Type": "application/json", "X-HubSpot-Request-Timestamp": stamp,
                "X-HubSpot-Signature-v3": Signature.get_signature("app-secret", body, "v3", url, "POST", stamp)})
            assert json.loads(urllib.request.urlopen(request, timeout=10).read())["accepted"] == 1
            # the interval is a minute: a second cycle within seconds is the webhook's doing
            assert _wait_for(lambda: out.read_text().count("cycle.completed") == 2, timeout=30)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    second = [json.loads(line) for line in out.read_text().splitlines()
              if line.startswith("{") and "cycle.completed" in line][1]
    assert second["pulled"] >= 1
