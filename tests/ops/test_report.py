"""``syncd report`` on a multi-cycle sandbox run: the terminal summary, and the HTML page
opened in headless Chromium — every chart rendered, a screenshot kept, no personal data."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from syncd.cli import main
from syncd.report.funnel import build_funnel

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHARTS = {"runs", "outcomes", "rejects", "api", "funnel"}
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium package is required (.ci/run installs it)"
    return found


def _browser(*args: str) -> str:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture
def multi_cycle(config_path, sandbox):
    for contact in [c for c in sandbox.dump()["hubspot"]["contacts"] if not c["archived"]][:2]:
        sandbox.hubspot_state.upsert_contact({"email": ""}, id=contact["id"])  # rejects to chart
    for step in range(3):
        if step:
            sandbox.drift(step - 1)
        assert main(["once", "--config", str(config_path)]) == 0
    contacts = sandbox.dump()["hubspot"]["contacts"]
    return config_path, contacts, sandbox.dump()["salesforce"]


def _personal_values(contacts, org) -> set[str]:
    values = {c["properties"].get(k) for c in contacts for k in ("email", "phone", "mobilephone")}
    values |= {r.get(k) for name in ("Lead", "Contact") for r in org["objects"].get(name, [])
               for k in ("Email", "Phone", "MobilePhone")}
    return {str(v) for v in values if v and len(str(v)) >= 6}


def test_html_report_renders_every_chart_without_personal_data(multi_cycle, tmp_path, capsys):
    config_path, contacts, org = multi_cycle
    page = tmp_path / "report.html"
    capsys.readouterr()
    assert main(["report", "--config", str(config_path), "--html", str(page)]) == 0
    terminal = capsys.readouterr().out
    assert "Funnel" in terminal and "MQL" in terminal and "n/a" in terminal
    html = page.read_text()
    offline = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http" not in offline and not re.search(r"\b(src|href)=", offline), "self-contained"
    assert not EMAIL.search(html)
    digits = re.sub(r"\D", "", html)
    for value in _personal_values(contacts, org):
        assert value not in html, "personal value in the page"
        number = re.sub(r"\D", "", value)
        if len(number) >= 9:
            assert number not in digits, "a phone number's digits in the page"
    dom = _browser("--dump-dom", page.as_uri())
    rendered = dict(re.findall(r'data-chart="(\w+)"[^>]*data-rendered="(\w+)"', dom))
    assert rendered == {name: "yes" for name in CHARTS}, rendered
    assert f'data-charts="{len(CHARTS)}/{len(CHARTS)}"' in dom
    marks = dict(re.findall(r'data-chart="(\w+)"[^>]*data-marks="(\d+)"', dom))
    assert all(int(marks[name]) > 0 for name in CHARTS), marks
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    _browser(f"--screenshot={shot}", "--window-size=900,2600", page.as_uri())
    assert shot.stat().st_size > 20_000


def test_report_since_a_date_after_every_run_shows_no_runs(multi_cycle, capsys):
    config_path, _, _ = multi_cycle
    assert main(["report", "--config", str(config_path), "--since", "2999-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Last 0 of 0 runs" in out and "cycles ok / failed: 0 / 0" in out


def test_funnel_counts_reached_stages_intent_and_conversion():
    funnel = build_funnel(
        ladder=["subscriber", "lead", "mql", "sql"], labels={"mql": "MQL"},
        current=[("1", "sql", "active"), ("2", "mql", "passive"), ("3", "lead", "passive"),
                 ("4", "recycled", "passive")],
        moves=[("1", "mql"), ("1", "sql"), ("2", "mql"), ("4", "mql"), ("4", "recycled"),
               ("5", "sql"), ("5", "mql")])
    reached = {s.stage: (s.reached, s.passive, s.active) for s in funnel.stages}
    assert reached == {"subscriber": (5, 4, 1), "lead": (5, 4, 1), "mql": (4, 3, 1), "sql": (2, 1, 1)}
    assert funnel.mql_count == 4 and funnel.mql_to_sql == pytest.approx(1 / 4)  # 5 fell back to MQL
    assert funnel.off_ladder == {"recycled": 1} and funnel.active_to_first_touch_hours is None
    empty = build_funnel(ladder=["mql", "sql"], labels={}, current=[], moves=[])
    assert empty.mql_to_sql is None and [s.reached for s in empty.stages] == [0, 0]
