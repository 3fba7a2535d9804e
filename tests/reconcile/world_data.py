"""Labelled data from the sandbox world: its HubSpot contacts are the existing people, its
offline files the incoming rows, and the world's truth says who each row really is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from syncd.offline import import_file
from syncd_sandbox.world import build_world

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
COLUMNS = ("first_name", "last_name", "email", "phone", "company")


@dataclass(frozen=True, slots=True, kw_only=True)
class Labelled:
    existing: list[dict]
    existing_ids: list[str]
    incoming: list[dict]
    incoming_ids: list[str]
    person_of: dict[str, str | None]   # any id (existing or incoming) → person key


def world_data(seed: int = 3, contacts: int = 1500) -> Labelled:
    world = build_world(seed, contacts, now=NOW)
    truth = world.truth
    existing, ids, person_of = [], [], {}
    for contact in world.hubspot["contacts"]:
        props = contact["properties"]
        existing.append({"first_name": props.get("firstname"), "last_name": props.get("lastname"),
                         "email": props.get("email"), "phone": props.get("phone"),
                         "company": props.get("company")})
        ids.append(f"hs-{contact['id']}")
        person_of[ids[-1]] = truth["hubspot_person"][contact["id"]]
    incoming, incoming_ids = [], []
    for name, data in world.offline_files.items():
        rows = {t["row"] + 1: t for t in truth["offline"][name]}
        for line in import_file(data, name=name).lines:
            if line.outcome in ("imported", "duplicate"):
                incoming.append({k: line.fields.get(k) for k in COLUMNS})
                incoming_ids.append(f"{name}:{line.line}")
                person_of[incoming_ids[-1]] = rows[line.line]["person"]
    return Labelled(existing=existing, existing_ids=ids, incoming=incoming, incoming_ids=incoming_ids,
                    person_of=person_of)


def merge_quality(data: Labelled, decisions) -> tuple[float, float]:
    """(precision, recall) of merge decisions: a merge is right when the existing record is
    the same person; recall counts incoming rows whose person has an existing record."""
    known = {data.person_of[i] for i in data.existing_ids}
    merges = [d for d in decisions if d.decision == "merge"]
    right = sum(data.person_of[d.existing_id] == data.person_of[d.incoming_id] for d in merges)
    wanted = sum(data.person_of[i] in known for i in data.incoming_ids)
    return right / max(len(merges), 1), right / max(wanted, 1)
