"""Splink comparisons and blocking rules for a ``Schema``: the CRM knowledge expressed as
comparison levels. Splink estimates each level's weight (u by random sampling, m by EM);
the ``m`` given here is only the starting point, and the model when there is too little
data to train on. Conditions are written in DuckDB SQL; Splink translates them for Spark.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on

from syncd.reconcile.features import Schema

__all__ = ["blocking_rules", "comparisons", "deterministic_rules"]


def _level(sql: str, label: str, m: float) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts=label, base_dialect_str="duckdb").configure(m_probability=m)


def _null(sql: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label_for_charts="missing", base_dialect_str="duckdb").configure(is_null_level=True)


def _rule(sql: str) -> dict:
    """A blocking rule written in DuckDB SQL; Splink translates it for other backends."""
    return {"blocking_rule": sql, "sql_dialect": "duckdb"}


def _either_null(*cols: str) -> str:
    return " OR ".join(f'("{c}_l" IS NULL OR "{c}_r" IS NULL)' for c in cols)


def _lib(level, label: str, m: float):
    return level.configure(m_probability=m, label_for_charts=label)


def _shown(p: str) -> str:
    """The name a comparison is reported under: the column's, without the feature prefix."""
    name = p.split("_", 1)[1]
    return f"{name}_field" if name in ("name", "organisation") else name


def _email(p: str) -> cl.CustomComparison:
    free = f'(coalesce("{p}_free_l", false) OR coalesce("{p}_free_r", false))'
    return cl.CustomComparison(output_column_name=_shown(p), comparison_description="email", comparison_levels=[
        _null(f'"{p}_raw_l" IS NULL OR "{p}_raw_r" IS NULL'),
        _lib(cll.ExactMatchLevel(f"{p}_addr"), "same address", 0.6),
        _lib(cll.ExactMatchLevel(f"{p}_role"), "same shared mailbox (info@…)", 0.02),
        # The part before @ is mostly made of the name: it only adds evidence when one side
        # is a free-mail address (the same person's private and work address), not for two
        # namesakes at two companies.
        _level(f'"{p}_local_l" = "{p}_local_r" AND {free}', "same name before @, one a free-mail address", 0.05),
        # Jaro-Winkler, not edit distance: DuckDB computes it ~50x faster, and u is
        # estimated on millions of random pairs.
        _lib(cll.JaroWinklerLevel(f"{p}_raw", 0.95), "address with a typo", 0.08),
        cll.ElseLevel().configure(m_probability=0.2),
    ])


def _phone(p: str) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name=_shown(p), comparison_description="phone", comparison_levels=[
        _null(f'"{p}_e164_l" IS NULL OR "{p}_e164_r" IS NULL'),
        _level(f'"{p}_e164_l" = "{p}_e164_r" AND NOT (coalesce("{p}_shared_l", false) OR '
               f'coalesce("{p}_shared_r", false))', "same number", 0.7),
        _level(f'"{p}_e164_l" = "{p}_e164_r"', "same shared switchboard number", 0.05),
        _level(f'right("{p}_e164_l", 7) = right("{p}_e164_r", 7)', "same last 7 digits", 0.05),
        cll.ElseLevel().configure(m_probability=0.2),
    ])


def _name() -> cl.CustomComparison:
    def first_same():
        return cll.Or(cll.ExactMatchLevel("n_first"), cll.ArrayIntersectLevel("n_groups", 1))

    last = cll.ExactMatchLevel
    return cl.CustomComparison(output_column_name="name", comparison_description="person name",
                               comparison_levels=[
        cll.NullLevel("n_last"),
        _lib(cll.And(cll.ExactMatchLevel("n_first"), last("n_last")), "first and last name equal", 0.6),
        _lib(cll.And(last("n_last"), cll.ArrayIntersectLevel("n_groups", 1)),
             "last name equal, first a nickname", 0.12),
        _lib(cll.ColumnsReversedLevel("n_first", "n_last", symmetrical=True), "first and last swapped", 0.02),
        _lib(cll.And(last("n_last"), cll.JaroWinklerLevel("n_first", 0.88)), "last name equal, first similar", 0.05),
        _lib(cll.And(first_same(), cll.JaroWinklerLevel("n_last", 0.92)),
             "first name equal, last similar", 0.08),
        _lib(cll.And(last("n_last"), cll.ExactMatchLevel("n_initial")), "last name and initial equal", 0.03),
        _lib(last("n_last"), "last name equal only", 0.03),
        _lib(cll.And(first_same(), cll.JaroWinklerLevel("n_last", 0.8)),
             "first name equal, last roughly similar", 0.02),
        cll.ElseLevel().configure(m_probability=0.05),
    ])


def _org() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="organisation", comparison_description="company",
                               comparison_levels=[
        _null('("o_key_l" IS NULL AND "o_label_l" IS NULL) OR ("o_key_r" IS NULL AND "o_label_r" IS NULL)'),
        _lib(cll.ExactMatchLevel("o_key"), "same company", 0.6),
        _lib(cll.ExactMatchLevel("o_label"), "same company email domain", 0.1),
        _level('"o_squash_l" = "o_label_r" OR "o_label_l" = "o_squash_r"', "company name matches email domain", 0.1),
        _level('"o_acronym_l" = "o_squash_r" OR "o_squash_l" = "o_acronym_r"', "company acronym", 0.02),
        _lib(cll.JaroWinklerLevel("o_key", 0.9), "similar company name", 0.05),
        cll.ElseLevel().configure(m_probability=0.13),
    ])


def _generic(kind: str, p: str) -> cl.CustomComparison:
    col = f"{p}_key"
    levels = {
        "city": [(cll.ExactMatchLevel(col), 0.85), (cll.JaroWinklerLevel(col, 0.9), 0.05)],
        "postcode": [(cll.ExactMatchLevel(col), 0.85),
                     (_level(f'substr("{col}_l", 1, 3) = substr("{col}_r", 1, 3)', "same district", 0.05), None)],
        "address": [(cll.ExactMatchLevel(col), 0.7), (cll.JaroWinklerLevel(col, 0.9), 0.15),
                    (cll.JaroWinklerLevel(col, 0.8), 0.05)],
        "date": [(cll.ExactMatchLevel(col), 0.85), (cll.LevenshteinLevel(col, 1), 0.05)],
        "identifier": [(cll.ExactMatchLevel(col), 0.85), (cll.LevenshteinLevel(col, 1), 0.07),
                       (cll.LevenshteinLevel(col, 2), 0.03)],
        "text": [(cll.ExactMatchLevel(col), 0.6), (cll.JaroWinklerLevel(col, 0.9), 0.2),
                 (cll.JaroWinklerLevel(col, 0.7), 0.1)],
        "exact": [(cll.ExactMatchLevel(col), 0.9)],
        "crosswalk": [(cll.ExactMatchLevel(col), 0.9)],
    }[kind]
    made = [lvl if m is None else lvl.configure(m_probability=m) for lvl, m in levels]
    rest = max(0.01, 1 - sum(m for _, m in levels if m is not None) - (0.05 if kind == "postcode" else 0))
    return cl.CustomComparison(output_column_name=_shown(p), comparison_description=kind, comparison_levels=[
        cll.NullLevel(col), *made, cll.ElseLevel().configure(m_probability=rest)])


def comparisons(schema: Schema) -> list:
    """One Splink comparison per email and phone column, person name, organisation, and
    each other declared column."""
    out = [_email(p) for _, p in schema.emails] + [_phone(p) for _, p in schema.phones]
    if schema.has_name:
        out.append(_name())
    if schema.has_org:
        out.append(_org())
    return out + [_generic(kind, p) for _, kind, p in schema.generic]


def deterministic_rules(schema: Schema) -> list:
    """Pairs that are almost surely the same person: a crosswalk id or a personal email."""
    rules = [block_on(f"{p}_key") for _, kind, p in schema.generic if kind == "crosswalk"]
    return rules + [block_on(f"{p}_addr") for _, p in schema.emails]


def blocking_rules(schema: Schema) -> list:
    """Candidate pairs: any deterministic key, a phone, the name (also swapped) with or
    without company, the email's local part, and each identifier-like column."""
    rules = deterministic_rules(schema)
    rules += [_rule('l."{0}_local" = r."{0}_local" AND length(l."{0}_local") >= 6'.format(p)) for _, p in schema.emails]
    rules += [_rule(f'l."{p}_e164" = r."{p}_e164" AND NOT coalesce(l."{p}_shared", false) '
                    f'AND NOT coalesce(r."{p}_shared", false)') for _, p in schema.phones]
    if schema.has_name:
        rules += [block_on("n_last", "n_canon"),
                  _rule('l."n_first" = r."n_last" AND l."n_last" = r."n_first"')]
        if schema.has_org:
            rules += [block_on("n_last", "o_key"), block_on("n_canon", "o_key"),
                      block_on("n_last", "o_label"), block_on("n_canon", "o_label"),
                      _rule('l."n_last" = r."n_last" AND l."o_squash" = r."o_label"'),
                      _rule('l."n_last" = r."n_last" AND l."o_label" = r."o_squash"')]
    rules += [block_on(f"{p}_key") for _, kind, p in schema.generic if kind in ("identifier", "exact")]
    return rules
