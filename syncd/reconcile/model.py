"""The Splink model: settings from a ``Schema``, training, and reading its levels back.

Training follows Splink's guidance: the prior from deterministic rules, u by random
sampling, m by expectation maximisation on two blocking passes (one on the email, one on
the name), each training the comparisons it does not block on.
"""

from __future__ import annotations

import copy
import logging
import math

from splink import Linker, SettingsCreator, block_on

from syncd.reconcile.comparisons import blocking_rules, comparisons
from syncd.reconcile.features import Schema

__all__ = ["Levels", "dedupe_model", "initial_settings", "key_columns", "prior_from_keys", "train",
           "with_parameters"]

log = logging.getLogger(__name__)
DETERMINISTIC_RECALL = 0.7
U_PAIRS = 1e6   # random pairs for u; enough for these comparisons' levels
EM_PAIRS = 3e5  # blocked pairs an EM pass looks at, at most


def initial_settings(schema: Schema, *, prior: float, dialect: str = "duckdb") -> dict:
    """Untrained settings (m from the comparison priors) for linking existing ↔ incoming,
    with SQL in ``dialect`` ("duckdb" or "spark")."""
    creator = SettingsCreator(
        link_type="link_only", unique_id_column_name="uid", comparisons=comparisons(schema),
        blocking_rules_to_generate_predictions=blocking_rules(schema),
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=True, retain_matching_columns=False,
        additional_columns_to_retain=[col for col, _ in key_columns(schema)])
    return creator.get_settings(dialect).as_dict()


def with_parameters(settings: dict, model: dict) -> dict:
    """``settings`` (same schema, any dialect) carrying ``model``'s trained prior, m and u."""
    out = copy.deepcopy(settings)
    out["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    for comp, trained in zip(out["comparisons"], model["comparisons"]):
        for level, done in zip(comp["comparison_levels"], trained["comparison_levels"]):
            for key in ("m_probability", "u_probability"):
                if key in done:
                    level[key] = done[key]
    return out


def train(linker: Linker, schema: Schema, *, em: bool) -> dict:
    """Estimate u (always) and m (when ``em``); the trained settings. The prior is set
    beforehand (``prior_from_keys``)."""
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1, num_chunks=1)
    if em:
        for rule in _em_rules(schema):
            try:
                training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_PAIRS)
            except Exception as exc:  # noqa: BLE001 - EM on one pass may find no pairs
                log.info("EM pass %s skipped: %s", rule, exc)
    return linker.misc.save_model_to_json()


def prior_from_keys(pairs_with_key: int, total_pairs: float, *, fallback: float) -> float:
    """Splink's direct estimate of the prior: pairs that share a deterministic key, scaled
    up by the keys' recall, over all possible pairs (counted in SQL by the caller: Splink's
    own helper does not read attached tables)."""
    if pairs_with_key <= 0 or total_pairs <= 0:
        return fallback
    return min(0.5, pairs_with_key / DETERMINISTIC_RECALL / total_pairs)


def _em_rules(schema: Schema) -> list:
    out = [block_on(f"{p}_addr") for _, p in schema.emails[:1]]
    if schema.has_name:
        out.append(block_on("n_last", "n_canon"))
    return out


def dedupe_model(model: dict, *, prior: float) -> dict:
    """The same comparisons and weights, set up to find duplicates inside one table."""
    out = copy.deepcopy(model)
    out["link_type"] = "dedupe_only"
    out["probability_two_random_records_match"] = prior
    out.pop("linker_uid", None)
    return out


class Levels:
    """Reads each comparison's match weight back as the level it came from (Splink reports
    weights, not level numbers, unless every input column is kept)."""

    def __init__(self, model: dict) -> None:
        self.levels: dict[str, list[tuple[float, str]]] = {}
        for comp in model["comparisons"]:
            table = []
            for lv in comp["comparison_levels"]:
                label = lv.get("label_for_charts") or lv["sql_condition"]
                if lv.get("is_null_level"):
                    table.append((0.0, "missing"))
                    continue
                m, u = lv.get("m_probability"), lv.get("u_probability")
                if m and u:
                    table.append((math.log2(m / u), label))
            self.levels[comp["output_column_name"]] = table

    def names(self) -> list[str]:
        return list(self.levels)

    def evidence(self, mws: tuple[float, ...]):
        """Evidence for one pair from its weights, in comparison order."""
        from syncd.reconcile.result import Evidence

        return tuple(Evidence(field=n, level=self.label(n, mw), weight=round(float(mw), 2))
                     for n, mw in zip(self.levels, mws))

    def label(self, name: str, mw: float) -> str:
        """The level whose weight is ``mw`` (the nearest, for floating point)."""
        table = self.levels[name]
        if not table:
            return "?"
        return min(table, key=lambda t: abs(t[0] - mw))[1]


def key_columns(schema: Schema) -> list[tuple[str, str]]:
    """(feature column, key name) of the deterministic keys, crosswalk ids first."""
    cols = [(f"{p}_key", "crosswalk") for _, kind, p in schema.generic if kind == "crosswalk"]
    return cols + [(f"{p}_addr", "email") for _, p in schema.emails]
