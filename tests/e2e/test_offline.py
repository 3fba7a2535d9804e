"""The world's three offline files through the daemon on the sandbox: dropped, imported,
reconciled and written by the next cycles, checked against the world's truth."""

from __future__ import annotations

import json
import shutil
from collections import Counter

from syncd.app import open_app
from syncd.demo import DEFAULT_MAPPINGS, write_sandbox_config
from syncd.offline.job import run_drop_folder
from syncd.runner import run_once


def _sf_people(sandbox) -> list[dict]:
    org = sandbox.dump()["salesforce"]["objects"]
    return [r for key in ("Lead", "Contact") for r in org.get(key, [])]


def _by_email(sandbox) -> Counter:
    return Counter((r.get("Email") or "").lower() for r in _sf_people(sandbox))


def _drop(files, drop):
    drop.mkdir(exist_ok=True)
    for path in sorted(files.iterdir()):
        shutil.copy(path, drop / path.name)


def _state(app, sandbox) -> tuple:
    return (len(sandbox.dump()["hubspot"]["contacts"]), len(_sf_people(sandbox)), app.store.counts(),
            len(app.store.review_items()))


def test_offline_files_enrich_existing_people_and_create_new_ones(sandbox, tmp_path):
    drop = tmp_path / "drop"
    config = write_sandbox_config(sandbox.endpoints, tmp_path / "syncd", mappings=DEFAULT_MAPPINGS, drop_dir=drop)
    app = open_app(config)
    try:
        run_once(app)
        before = _by_email(sandbox)
        _drop(tmp_path / "sandbox" / "offline", drop)
        summaries = run_drop_folder(app, stop=lambda: False)
        assert [s["file"] for s in summaries] == sorted(sandbox.world.offline_files)
        assert all("error" not in s for s in summaries), summaries
        for name in sandbox.world.offline_files:
            assert (drop / "done" / name).exists() and not (drop / name).exists()
            report = json.loads((drop / "done" / f"{name}.report.json").read_text())
            assert report["counts"]["records"] == len(report["lines"])
        run_once(app)
        run_once(app)
        after = _by_email(sandbox)
        rows = {(r["content_hash"], r["line"]): r for r in app.store.offline_rows()}
        by_file = {f["name"]: f["content_hash"] for f in app.store.offline_files()}
        existing_rows = 0
        for name, truth in sandbox.world.truth["offline"].items():
            for t in truth:
                row = rows.get((by_file[name], t["row"] + 1))
                if t["kind"] != "existing":
                    continue
                existing_rows += 1
                # nobody who already existed gets a second Lead or Contact
                assert after[t["email"].lower()] == before[t["email"].lower()], (name, t, row)
                assert row is None or row["status"] != "created", (name, t, row)
        assert existing_rows > 0
        statuses = Counter(r["status"] for r in rows.values())
        assert statuses["merged"] > 0 and statuses["created"] > 0, statuses
        assert {s for s in statuses} <= {"merged", "created", "review", "held", "duplicate", "rejected", "skipped"}
        for row in rows.values():
            if row["status"] == "created":  # a new person, in both systems
                assert app.store.id_map([row["hubspot_id"]]), row
            if row["status"] == "merged":
                hid = row["hubspot_id"]
                assert any(e.kind.value == "offline" for e in app.store.events_for([hid])[hid])
        offline_items = [r for r in app.store.review_items() if r["hubspot_id"].startswith("offline:")]
        assert len(offline_items) == statuses["review"]
        assert all(len(r["candidates"]) >= 1 and r["reason"] for r in offline_items)
        # merged people's profiles name the offline touch
        profiles = [r.get("Lead_Profile__c") or "" for r in _sf_people(sandbox)]
        assert any("Offline" in p for p in profiles)

        settled = _state(app, sandbox)
        _drop(tmp_path / "sandbox" / "offline", drop)
        again = run_drop_folder(app, stop=lambda: False)
        assert all(s["already_imported"] for s in again)
        run_once(app)
        assert _state(app, sandbox) == settled
    finally:
        app.close()
