"""Run Splink on registered tables and turn its output into ``Pair``s (backend-neutral:
works with any Splink database API)."""

from __future__ import annotations

from splink import Linker

from syncd.reconcile.decide import Pair
from syncd.reconcile.model import Levels

__all__ = ["FLOOR", "TOP", "link_pairs", "within_pairs"]

FLOOR = 0.001  # candidates below this probability are not worth explaining
TOP = 5        # candidates kept per incoming record (keyed ones first, then by weight)


def link_pairs(linker: Linker, existing, incoming, model: dict, keys: list[tuple[str, str]]) -> list[Pair]:
    """Candidates between the existing and the incoming table, scored by the model."""
    predictions = linker.inference.predict_between(existing, incoming, threshold_match_probability=FLOOR,
                                                   warning_mode="never")
    side = _incoming_side(linker, predictions, incoming)
    return _pairs(linker, predictions, Levels(model), keys, incoming_side=side)


def within_pairs(linker: Linker, threshold: float, model: dict, keys: list[tuple[str, str]]) -> list[Pair]:
    """Pairs inside one table (the linker's only input) at or above ``threshold``."""
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    return _pairs(linker, predictions, Levels(model), keys, incoming_side="r", top=None)


def _incoming_side(linker: Linker, predictions, incoming) -> str:
    """Splink orders each pair by source dataset; find which side is the incoming one."""
    rows = linker.misc.query_sql(f"SELECT source_dataset_l FROM {predictions.physical_name} LIMIT 1",
                                 output_type="splink_df").as_record_list()
    if not rows:
        return "r"
    return "l" if rows[0]["source_dataset_l"] == incoming.templated_name else "r"


def _pairs(linker: Linker, predictions, levels: Levels, keys: list[tuple[str, str]], *,
           incoming_side: str, top: int | None = TOP) -> list[Pair]:
    names = levels.names()
    other = "l" if incoming_side == "r" else "r"
    keyed = [f'CASE WHEN {c}_l = {c}_r THEN 1 ELSE 0 END' for c, _ in keys]
    cols = ["uid_l", "uid_r", "match_probability", "match_weight"] + [f"mw_{n}" for n in names]
    cols += [f"{c}_{s}" for c, _ in keys for s in ("l", "r")]
    sql = f"SELECT {', '.join(cols)} FROM {predictions.physical_name}"
    if top is not None:  # the strongest few per incoming record are all a decision looks at
        order = ", ".join([f"{k} DESC" for k in keyed] + ["match_weight DESC", f"uid_{other}"])
        sql = (f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY uid_{incoming_side} "
               f"ORDER BY {order}) AS rank_ FROM ({sql}) AS p) AS q WHERE rank_ <= {top}")
    rows = linker.misc.query_sql(sql, output_type="splink_df")
    out = []
    for row in rows.as_record_list():
        key = next((kind for col, kind in keys if row.get(f"{col}_l") is not None
                    and row.get(f"{col}_l") == row.get(f"{col}_r")), None)
        out.append(Pair(incoming_id=str(row[f"uid_{incoming_side}"]), existing_id=str(row[f"uid_{other}"]),
                        probability=float(row["match_probability"]), weight=float(row["match_weight"]),
                        key=key, mws=tuple(row[f"mw_{n}"] for n in names), explain=levels.evidence))
    rows.drop_table_from_database_and_remove_from_cache()
    predictions.drop_table_from_database_and_remove_from_cache()
    return out
