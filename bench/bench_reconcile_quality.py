"""Merge quality of syncd's engine against plain Splink (default comparisons) on the same
labelled data, at syncd's default thresholds.

Data: (1) the sandbox world's three offline files against its HubSpot contacts, labelled
by the world's truth; (2) the corruption generator (tests/reconcile/corrupt.py): clean
records, and incoming rows typed in again with nicknames, typos, case, missing or private
emails, swapped names, transliteration, other phone formats and legal forms.

Plain Splink: the raw columns, Splink's own comparison library (NameComparison,
EmailComparison, ExactMatch, JaroWinklerAtThresholds), blocking on email, name, phone and
name+company, u by random sampling, m by EM; an incoming record merges into its best
candidate when that pair's probability reaches the same merge threshold.

Run: .venv/bin/python bench/bench_reconcile_quality.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "sandbox")]

import duckdb  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

from syncd.reconcile.engine import match, prepare  # noqa: E402
from syncd.reconcile.rules import MatchingRules  # noqa: E402
from tests.reconcile.corrupt import dataset  # noqa: E402
from tests.reconcile.world_data import world_data  # noqa: E402

COLUMNS = ("first_name", "last_name", "email", "phone", "company")
RULES = MatchingRules.model_validate({"fields": {c: c for c in COLUMNS}})


def scores(person, merges: list[tuple[str, str]], incoming_ids, existing_ids) -> tuple[float, float, float]:
    known = {person[e] for e in existing_ids}
    right = sum(person[i] == person[e] for i, e in merges)
    wanted = sum(person[i] in known for i in incoming_ids)
    p, r = right / max(len(merges), 1), right / max(wanted, 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def syncd_merges(existing, e_ids, incoming, i_ids, rules) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        index = prepare(rules, existing, e_ids, Path(tmp) / "idx.duckdb")
        return [(d.incoming_id, d.existing_id) for d in match(index, incoming, i_ids) if d.decision == "merge"]


def plain_splink_merges(existing, e_ids, incoming, i_ids, threshold: float) -> list[tuple[str, str]]:
    con = duckdb.connect()
    for name, recs, ids in (("ex", existing, e_ids), ("inc", incoming, i_ids)):
        con.execute(f"CREATE TABLE {name} (unique_id VARCHAR, {', '.join(f'{c} VARCHAR' for c in COLUMNS)})")
        con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?)",
                        [[i] + [(r.get(c) or None) for c in COLUMNS] for i, r in zip(ids, recs)])
    db = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.NameComparison("first_name"), cl.NameComparison("last_name"),
                     cl.EmailComparison("email"), cl.ExactMatch("phone"),
                     cl.JaroWinklerAtThresholds("company")],
        blocking_rules_to_generate_predictions=[block_on("email"), block_on("first_name", "last_name"),
                                                block_on("phone"), block_on("last_name", "company")])
    linker = Linker([db.register("ex"), db.register("inc")], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("email")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("email"), block_on("first_name", "last_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    rows = linker.inference.predict(threshold_match_probability=threshold).as_record_list()
    inc = set(i_ids)
    best: dict[str, tuple[float, str]] = {}
    for row in rows:
        i, e = (row["unique_id_r"], row["unique_id_l"]) if row["unique_id_r"] in inc else (row["unique_id_l"], row["unique_id_r"])
        if row["match_probability"] > best.get(i, (-1.0, ""))[0]:
            best[i] = (row["match_probability"], e)
    return [(i, e) for i, (_, e) in best.items()]


def compare(title: str, existing, e_ids, incoming, i_ids, person, rules=RULES) -> None:
    print(f"\n== {title}: {len(incoming):,} incoming against {len(existing):,} existing")
    for name, run in (("syncd", lambda: syncd_merges(existing, e_ids, incoming, i_ids, rules)),
                      ("plain Splink", lambda: plain_splink_merges(existing, e_ids, incoming, i_ids,
                                                                   rules.matching.merge))):
        start = time.perf_counter()
        merges = run()
        p, r, f1 = scores(person, merges, i_ids, e_ids)
        print(f"{name:>13}: merges {len(merges):5d}  precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
              f"({time.perf_counter() - start:.1f} s)")


def main() -> None:
    print(f"merge threshold {RULES.matching.merge} (syncd's default), review {RULES.matching.review}")
    world = world_data()
    compare("sandbox world (seed 3, 1,500 contacts): offline files vs HubSpot contacts", world.existing,
            world.existing_ids, world.incoming, world.incoming_ids, world.person_of)
    data = dataset(7, existing=20_000, incoming=5_000)
    rules = MatchingRules.model_validate({"matching": {"region_column": "region"},
                                          "fields": {c: c for c in COLUMNS}})
    compare("corruption generator (seed 7)", data.existing, data.existing_ids, data.incoming,
            data.incoming_ids, data.person, rules)


if __name__ == "__main__":
    main()
