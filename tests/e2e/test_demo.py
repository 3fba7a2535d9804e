"""`syncd demo` end to end: the report, the Salesforce end state, and logs free of personal data."""

from __future__ import annotations

import json
import re

import phonenumbers

from syncd.cli import main


def test_demo_runs_reports_and_keeps_personal_data_out_of_logs(tmp_path, capsys):
    workdir = tmp_path / "demo"
    summary = tmp_path / "summary.json"
    assert main(["demo", "--contacts", "80", "--seed", "11", "--workdir", str(workdir),
                 "--summary-json", str(summary)]) == 0
    out = capsys.readouterr().out
    assert "Contacts pulled" in out and "Salesforce API calls" in out and "Logs:" in out

    report = json.loads(summary.read_text())
    first, second = report["cycles"][0], report["cycles"][1]
    assert first["pulled"] > 0 and first["created"] > 0
    assert second["created"] == second["updated"] == 0 and second["api_calls"]["salesforce"] == 0
    # every record syncd created or updated holds a lifecycle stage in Salesforce afterwards
    assert sum(report["salesforce_with_stage"].values()) >= first["created"] + first["updated"]

    log = (workdir / "syncd.log").read_text()
    lines = [json.loads(line) for line in log.splitlines()]
    assert [line["event"] for line in lines].count("cycle.completed") == 3
    assert all(line.get("run_id") for line in lines if line["event"].startswith("cycle."))
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", log), "an email address reached the logs"
    # text values only: a duration such as "seconds": 1.698 is a number, not a phone number
    texts = "\n".join(_strings(lines))
    phones = [m.raw_string for region in ("US", "GB", "DE")
              for m in phonenumbers.PhoneNumberMatcher(texts, region, leniency=phonenumbers.Leniency.VALID)]
    assert not phones, f"phone numbers reached the logs: {phones[:3]}"
    secrets = [p.read_text().strip() for p in (workdir / "secrets").iterdir()]
    assert secrets and not any(s in log for s in secrets), "a credential reached the logs"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
