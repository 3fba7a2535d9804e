"""``syncd plan`` on a seeded world with drift equals, field by field, what the next cycle
writes (through the real clients against the sandbox)."""

from __future__ import annotations

import json
from dataclasses import replace

from syncd.app import open_app
from syncd.cli import main
from syncd.sync.cycle import plan_cycle, run_cycle
from syncd.sync.render import render_effects


class Recording:
    """Wraps an executor and keeps the effects it was given."""

    def __init__(self, inner, seen: list) -> None:
        self.inner, self.seen, self.effect_type = inner, seen, inner.effect_type

    def execute(self, effects, **kw):
        self.seen.extend(effects)
        return self.inner.execute(effects, **kw)


def _without_volatile(rendered: dict) -> dict:
    """Times that only say when the plan was made (due dates are days and stay)."""
    for row in rendered["records"]:
        row["fields"].pop("Lead_Profile__c", None)
    for row in rendered["tasks"]:
        row["fields"].pop("Description", None)
    return rendered


def test_the_plan_is_what_the_next_cycle_writes(sandbox, config_path, capsys):
    app = open_app(config_path)
    try:
        run_cycle(app.deps(), run_id="first")
        for step in (1, 2):
            sandbox.drift(step)
        planned = _without_volatile(render_effects(e for p in plan_cycle(app.deps(), run_id="plan") for e in p.effects))
        seen: list = []
        deps = app.deps()
        run_cycle(replace(deps, executors=tuple(Recording(x, seen) for x in deps.executors)), run_id="once")
        done = _without_volatile(render_effects(seen))
    finally:
        app.close()
    assert planned["records"] or planned["hubspot"], "the drift must give the plan something to do"
    assert planned == done


def test_the_plan_command_prints_json(sandbox, config_path, capsys):
    assert main(["once", "--config", str(config_path)]) == 0
    sandbox.drift(1)
    capsys.readouterr()
    assert main(["plan", "--json", "--config", str(config_path)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert set(plan) >= {"records", "tasks", "hubspot", "review"}
    assert all({"old", "new", "rule"} <= set(change) for row in plan["records"] for change in row["fields"].values())
