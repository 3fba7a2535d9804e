"""scoring.toml validation: every problem reported at once, each with its key path."""

from __future__ import annotations

import pytest

from syncd.errors import ConfigError
from syncd.lifecycle import DEFAULT_HUBSPOT_STAGES, load_scoring, parse_scoring

from .helpers import SCORING, default_data


def _issues(data, **kw):
    with pytest.raises(ConfigError) as caught:
        parse_scoring(data, **kw)
    return {i.path: i for i in caught.value.issues}


def test_shipped_scoring_toml_is_valid_against_the_default_portal_stages():
    model = load_scoring(SCORING, portal_stages=DEFAULT_HUBSPOT_STAGES)
    assert model.stage_defs["mql"].hubspot == "marketingqualifiedlead"


def _typo_key(d):
    d["engagement"]["rules"][0]["pointz"] = d["engagement"]["rules"][0].pop("points")


def _bad_kind(d):
    d["engagement"]["rules"][3]["kind"] = "page_veiw"


def _bad_order(d):
    d["stages"]["rules"][8]["min_score"] = 10     # mql_by_score below lead_by_score (20)


def _bad_regex(d):
    d["fit"]["rules"][6]["pattern"] = "(chief|vp"


def _zero_half_life(d):
    d["engagement"]["groups"]["web"]["half_life_days"] = 0


def _bad_grades(d):
    d["fit"]["grades"]["C"] = 60


def _bad_group(d):
    d["fit"]["rules"][0]["group"] = "firmografics"


def _range_without_bounds(d):
    del d["fit"]["rules"][3]["min"]
    del d["fit"]["rules"][3]["max"]


def _backward_without_from(d):
    del d["stages"]["rules"][0]["from"]


def _clashing_status(d):
    d["lead_status"]["nurture"] = "working"


def _points_not_a_number(d):
    d["engagement"]["rules"][1]["points"] = "ten"


def _unknown_verdict(d):
    d["lead_status"]["Nurture"] = "later"


def _unknown_stage(d):
    d["stages"]["rules"][5]["to"] = "opportunty"


@pytest.mark.parametrize(("mutate", "path", "words"), [
    (_typo_key, "engagement.rules[0].pointz", "did you mean 'points'"),
    (_bad_kind, "engagement.rules[3].kind", "did you mean 'page_view'"),
    (_bad_order, "stages.rules[12].min_score", "(stages.rules[8])"),
    (_bad_regex, "fit.rules[6].pattern", "does not compile"),
    (_zero_half_life, "engagement.groups.web.half_life_days", "greater than 0"),
    (_bad_grades, "fit.grades.C", "out of order"),
    (_bad_group, "fit.rules[0].group", "did you mean 'firmographics'"),
    (_range_without_bounds, "fit.rules[3].min", "needs 'min', 'max'"),
    (_backward_without_from, "stages.rules[0].from", "backward rule"),
    (_unknown_stage, "stages.rules[5].to", "did you mean 'opportunity'"),
    (_clashing_status, "lead_status.nurture", "case is ignored"),
    (_points_not_a_number, "engagement.rules[1].points", "found 'ten'"),
    (_unknown_verdict, "lead_status.Nurture", "'working'"),
])
def test_each_kind_of_mistake_names_its_path_and_the_fix(mutate, path, words):
    data = default_data()
    mutate(data)
    issues = _issues(data)
    assert path in issues, sorted(issues)
    assert words in issues[path].render()
    assert issues[path].render().startswith(f"scoring.toml: {path}: ")


def test_all_problems_are_reported_together():
    data = default_data()
    for mutate in (_typo_key, _bad_kind, _bad_order, _bad_regex, _zero_half_life, _bad_grades):
        mutate(data)
    issues = _issues(data)
    assert {"engagement.rules[0].pointz", "engagement.rules[3].kind",
            "stages.rules[12].min_score", "fit.rules[6].pattern",
            "engagement.groups.web.half_life_days", "fit.grades.C"} <= set(issues)


def test_stage_values_are_checked_against_the_portals_lifecyclestage_options():
    portal = [s for s in DEFAULT_HUBSPOT_STAGES if s != "marketingqualifiedlead"] + ["mql_custom"]
    issues = _issues(default_data(), portal_stages=portal)
    issue = issues["stages.defs.mql.hubspot"]
    assert issue.found == "'marketingqualifiedlead'" and "mql_custom" in issue.expected


def test_unknown_top_level_section_is_refused_with_a_suggestion():
    data = default_data()
    data["intnet"] = {}
    assert "did you mean 'intent'" in _issues(data)["intnet"].render()


def test_forward_rule_starting_above_its_target_is_refused():
    data = default_data()
    data["stages"]["rules"][8]["from"] = ["sql"]
    assert "forward rule cannot start" in _issues(data)["stages.rules[8].from[0]"].message


@pytest.mark.parametrize(("text", "words"), [
    ("[model\nversion = 1", "not valid TOML"),
    (None, "file not found"),
])
def test_unreadable_file_is_one_clear_issue(tmp_path, text, words):
    path = tmp_path / "scoring.toml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_scoring(path)
    assert words in caught.value.issues[0].message
