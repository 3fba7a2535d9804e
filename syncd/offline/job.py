"""Offline files into the daemon: import one file into the state store, or every file of
the drop folder (``[offline] drop_dir``).

Each record is reconciled against the mirrored Salesforce people, the HubSpot contacts
syncd holds and the file's other records; ``syncd.offline.plan`` decides what each does;
HubSpot contacts are created (and blank properties filled) here; everything else is kept
by ``StateStore.save_offline`` in one transaction, for the next cycle to write. The same
bytes imported again change nothing.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from syncd.offline.mapping import SourceMapping, load_source_mapping
from syncd.offline.people import existing_records
from syncd.offline.pipeline import import_file
from syncd.offline.plan import ConsentPolicy, Targets, created_change, plan_import
from syncd.offline.report import report_json
from syncd.offline.result import ImportResult, Match
from syncd.offline_change import OfflineChange, OfflineFile
from syncd.ports import HubSpotSource, StateStore
from syncd.reconcile.files import file_deduplicator, reconcile_records
from syncd.reconcile.result import Decision
from syncd.reconcile.rules import MatchingRules

__all__ = ["Imported", "import_offline", "import_path", "run_drop_folder", "source_for"]

SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


@dataclass(frozen=True, slots=True, kw_only=True)
class Imported:
    """An import's result, what each record became (``status`` per line) and the counts."""

    result: ImportResult
    statuses: dict[int, str]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for status in self.statuses.values():
            out[status] = out.get(status, 0) + 1
        return dict(sorted(out.items()))

    def report(self) -> dict[str, Any]:
        body = report_json(self.result)
        for line in body["lines"]:
            line["status"] = self.statuses.get(line["line"], line["outcome"])
        return {**body, "statuses": self.counts()}


def import_offline(store: StateStore, hubspot: HubSpotSource, *, data: bytes, name: str,
                   mapping: SourceMapping | None, origin: str | None, rules: MatchingRules,
                   policy: ConsentPolicy, now: datetime, sheet: str | None = None) -> Imported:
    """Import one file's bytes: reconcile, create and fill in HubSpot, keep the rest."""
    logging.getLogger("splink").setLevel(logging.ERROR)  # its sampling advice is for analysts, not the daemon
    contacts, mirror = store.matching_people()
    linked = store.hubspot_ids_for([m["sf_id"] for m in mirror])
    existing, existing_ids = existing_records(contacts, mirror, linked)
    decisions: list[Decision] = []

    def match(records: Sequence[dict]) -> list[Match | None]:
        decisions[:] = _decide(rules, existing, existing_ids, records)
        return [Match(existing_id=d.existing_id or "", decision=d.decision, probability=d.match_probability or 0.0,
                      evidence=tuple(e.text() for e in d.evidence)) if d.existing_id else None for d in decisions]

    result = import_file(data, name=name, mapping=mapping, mapping_origin=origin, sheet=sheet,
                         seen_hashes=store.offline_hashes(), deduplicate=file_deduplicator(rules), match=match)
    if result.already_imported:
        return Imported(result=result, statuses={ln.line: "skipped" for ln in result.lines})
    targets = Targets(contacts={c["hubspot_id"]: c["properties"] for c in contacts},
                      mirror={m["sf_id"]: (m["sf_object"], m["fields"]) for m in mirror}, linked=linked)
    plan = plan_import(result, decisions, targets, policy=policy, now=now)
    filled = _fill(hubspot, plan.hubspot_updates())
    rows, created, events, links = created_change(plan.creates, _create(hubspot, plan.creates), now)
    final = {r.line: r for r in rows}
    change = OfflineChange(
        at=now, file=OfflineFile(content_hash=result.content_hash, name=name,
                                 source=mapping.source.name if mapping else None, counts=result.counts()),
        rows=tuple(final.get(r.line, r) for r in plan.rows),
        contacts=tuple(u for u in plan.updates if u.id in filled) + tuple(created),
        events=plan.events + tuple(events), links=tuple(links),
        fills=tuple(f for f in plan.fills if f.hubspot_id in filled), reviews=plan.reviews)
    store.save_offline(change)
    return Imported(result=result, statuses={r.line: r.status for r in change.rows})


def _decide(rules: MatchingRules, existing: list[dict], ids: list[str], records: Sequence[dict]) -> list[Decision]:
    incoming_ids = [f"in:{i}" for i in range(len(records))]
    if not existing:
        return [Decision(incoming_id=i, decision="create", reason="nobody to match against") for i in incoming_ids]
    return reconcile_records(rules, existing, ids, [_match_fields(r) for r in records], incoming_ids)


def _match_fields(record: dict) -> dict[str, str]:
    return {k: str(v).lstrip("'") for k, v in record.items() if isinstance(v, str) and v}


def _fill(hubspot: HubSpotSource, rows: list[dict[str, Any]]) -> set[str]:
    """Write the filled blanks; the ids HubSpot accepted."""
    if not rows:
        return set()
    return {r.key for r in hubspot.update_contacts(rows) if r.ok}


def _create(hubspot: HubSpotSource, creates) -> list:
    if not creates:
        return []
    results = hubspot.create_contacts([{"properties": dict(c.properties)} for c in creates])
    if len(results) != len(creates):
        raise RuntimeError(f"HubSpot answered {len(results)} results for {len(creates)} new contacts")
    return results


# -- the application's view: mappings, config, the drop folder --------------------------
def _mappings_dir(app) -> Path:
    return Path(app.settings.mappings_dir)


def source_for(app, file_name: str, source: str | None = None) -> tuple[SourceMapping | None, str | None]:
    """The source mapping named (``NAME`` or a ``.toml`` path), else the one whose name the
    file's name starts with (``tradeshow-saastr-2026.csv`` → ``offline/tradeshow.toml``),
    else none (columns recognised from the headers)."""
    folder = _mappings_dir(app) / "offline"
    if source:
        path = Path(source) if source.endswith(".toml") else folder / f"{source}.toml"
        return load_source_mapping(path), str(path)
    stem = file_name.lower()
    names = sorted((p for p in folder.glob("*.toml") if stem.startswith(p.stem.lower())),
                   key=lambda p: -len(p.stem)) if folder.is_dir() else []
    return (load_source_mapping(names[0]), str(names[0])) if names else (None, None)


def import_path(app, path: Path, *, source: str | None = None, sheet: str | None = None) -> Imported:
    """``syncd import FILE``: import one file with the app's store, HubSpot and rules."""
    from syncd.offline.errors import FileRefused
    from syncd.reconcile.rules import load_rules

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror}") from None
    mapping, origin = source_for(app, path.name, source)
    return import_offline(app.store, app.hubspot, data=data, name=path.name, mapping=mapping, origin=origin,
                          rules=load_rules(_mappings_dir(app) / "matching.toml"),
                          policy=app.config.offline.create_contacts, now=app.clock.now(), sheet=sheet)


def _stopped(stop) -> bool:
    if stop is None:
        return False
    return stop.is_set() if hasattr(stop, "is_set") else bool(stop())


def run_drop_folder(app, *, stop=None) -> list[dict[str, Any]]:
    """Import every file waiting in ``[offline] drop_dir``, oldest name first, until
    ``stop`` (an Event or a callable) says so. Each file moves to ``done/`` (imported, or
    seen before) or ``failed/`` (refused), with ``<file>.report.json`` beside it. Returns
    one summary per file."""
    folder = app.config.offline.drop_dir
    if folder is None:
        return []
    folder = folder if folder.is_absolute() else (app.settings.config_path.parent / folder).resolve()
    summaries = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        if _stopped(stop):
            break
        summaries.append(_process(app, path))
    return summaries


def _process(app, path: Path) -> dict[str, Any]:
    from syncd.errors import ConfigError
    from syncd.offline.errors import FileRefused

    try:
        imported = import_path(app, path)
    except (FileRefused, ConfigError, ValueError) as exc:
        text = exc.render() if isinstance(exc, ConfigError) else str(exc)
        report = {"file": path.name, "error": text}
        _move(path, "failed", report)
        app.log.warning("offline_file_failed", file=path.name, error=text)
        return report
    report = imported.report()
    _move(path, "done", report)
    app.log.info("offline_file_imported", file=path.name, already_imported=imported.result.already_imported,
                 **imported.counts())
    return {"file": path.name, "already_imported": imported.result.already_imported, **imported.counts()}


def _move(path: Path, where: str, report: dict[str, Any]) -> None:
    target = path.parent / where
    target.mkdir(exist_ok=True)
    dest = target / path.name
    if dest.exists():  # the same name again: keep both
        dest = target / f"{path.stem}-{report.get('content_hash', 'x')[:8]}{path.suffix}"
    shutil.move(str(path), dest)
    (target / f"{dest.name}.report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str)
                                                    + "\n", encoding="utf-8")
