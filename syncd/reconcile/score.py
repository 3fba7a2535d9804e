"""Run Splink on registered tables and turn its output into ``Pair``s (backend-neutral:
works with any Splink database API)."""

from __future__ import annotations

from splink import Linker

from syncd.reconcile.decide import Pair
from syncd.reconcile.model import Levels
from syncd.reconcile.result import Evidence

__all__ = ["FLOOR", "link_pairs", "within_pairs"]

FLOOR = 0.001  # candidates below this probability are not worth explaining


def link_pairs(linker: Linker, existing, incoming, model: dict, keys: list[tuple[str, str]]) -> list[Pair]:
    """Candidates between the existing and the incoming table, scored by the model."""
    predictions = linker.inference.predict_between(existing, incoming, threshold_match_probability=FLOOR,
                                                   warning_mode="never")
    return _pairs(predictions, Levels(model), keys, incoming_side=_incoming_side(predictions, incoming))


def within_pairs(linker: Linker, threshold: float, model: dict, keys: list[tuple[str, str]]) -> list[Pair]:
    """Pairs inside one table (the linker's only input) at or above ``threshold``."""
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    return _pairs(predictions, Levels(model), keys, incoming_side="r")


def _incoming_side(predictions, incoming) -> str:
    """Splink orders each pair by source dataset; find which side is the incoming one."""
    name = incoming.templated_name
    row = predictions.as_record_list(limit=1)
    if not row:
        return "r"
    return "l" if row[0].get("source_dataset_l") == name else "r"


def _pairs(predictions, levels: Levels, keys: list[tuple[str, str]], *, incoming_side: str) -> list[Pair]:
    names = levels.names()
    other = "l" if incoming_side == "r" else "r"
    out = []
    for row in predictions.as_record_list():
        evidence = tuple(Evidence(field=n, level=levels.label(n, row[f"mw_{n}"]),
                                  weight=round(float(row[f"mw_{n}"]), 2)) for n in names)
        key = next((kind for col, kind in keys if row.get(f"{col}_l") is not None
                    and row.get(f"{col}_l") == row.get(f"{col}_r")), None)
        out.append(Pair(incoming_id=str(row[f"uid_{incoming_side}"]), existing_id=str(row[f"uid_{other}"]),
                        probability=float(row["match_probability"]), weight=float(row["match_weight"]),
                        evidence=evidence, key=key))
    predictions.drop_table_from_database_and_remove_from_cache()
    return out
