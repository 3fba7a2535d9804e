"""The audit against the sandbox: drift made behind syncd's back is found, re-queued, and
gone after the next cycle."""

from __future__ import annotations

import json

from syncd.app import open_app
from syncd.audit import run_audit
from syncd.cli import main
from syncd.report.queries import pending_count
from syncd.runner import run_once

EXT = "HubSpot_Id__c"


def _synced_leads(sandbox):
    return [r for r in sandbox.salesforce_state.records("Lead")
            if r.get(EXT) and not r.get("IsConverted") and r.get("Lifecycle_Stage__c")]


def _tamper(sandbox):
    """Sales edits one synced Lead's stage, an admin deletes another, a third gets a twin."""
    edited, deleted, twin = _synced_leads(sandbox)[:3]
    other = "Customer" if edited["Lifecycle_Stage__c"] != "Customer" else "Subscriber"
    sandbox.salesforce_state.update("Lead", edited["Id"], {"Lifecycle_Stage__c": other})
    state = sandbox.salesforce_state
    with state.lock:
        state.store.put("Lead", {**state.store.get("Lead", deleted["Id"]), "IsDeleted": True})
    state.insert("Contact", {"LastName": "Twin", "Email": twin["Email"], EXT: "999999"})
    return edited, deleted, twin


def test_audit_finds_requeues_and_the_next_cycle_repairs(config_path, sandbox):
    app = open_app(config_path)
    try:
        run_once(app)
        clean = run_audit(app.salesforce, app.store.engine, app.settings.fields)
        assert clean.findings.counts == {"edited": 0, "deleted": 0, "unlinked": 0, "duplicates": 0}
        assert clean.findings.linked > 0 and clean.requeued == 0
        edited, deleted, twin = _tamper(sandbox)
        found = run_audit(app.salesforce, app.store.engine, app.settings.fields)
        ids = {kind: {e["record"] for e in found.findings.examples[kind]} for kind in found.findings.counts}
        assert ids["edited"] == {edited["Id"]} and ids["deleted"] == {deleted["Id"]}
        assert twin["Id"] in ids["duplicates"] and len(ids["unlinked"]) == 1
        assert found.requeued == pending_count(app.store.engine) == 3  # the twin's id is no contact
        run_once(app)
        after = run_audit(app.salesforce, app.store.engine, app.settings.fields)
        assert after.findings.counts["edited"] == after.findings.counts["deleted"] == 0
        restored = sandbox.salesforce_state.get("Lead", edited["Id"])
        assert restored["Lifecycle_Stage__c"] == edited["Lifecycle_Stage__c"]
        recreated = [r for r in sandbox.salesforce_state.records("Lead") if r.get(EXT) == deleted[EXT]]
        assert len(recreated) == 1 and recreated[0]["Id"] != deleted["Id"]
    finally:
        app.close()


def test_audit_command_prints_json_without_personal_data(config_path, sandbox, capsys):
    assert main(["once", "--config", str(config_path)]) == 0
    _tamper(sandbox)
    capsys.readouterr()
    assert main(["audit", "--config", str(config_path), "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["drift"]["edited"] == 1 and report["requeued"] == 3
    assert "@" not in out
