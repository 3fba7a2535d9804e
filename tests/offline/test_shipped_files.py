"""The tables and mappings the offline import and the engine read ship with the package,
and every shipped mapping is valid."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from syncd.normalize.data import free_mail_domains, legal_suffixes, nickname_groups, role_locals
from syncd.offline import load_source_mapping
from syncd.reconcile.rules import load_rules

DEFAULTS = Path(str(resources.files("syncd").joinpath("default_mappings")))


def test_package_tables_load():
    assert "gmail.com" in free_mail_domains() and "info" in role_locals()
    assert ("pty", "ltd") in legal_suffixes() and legal_suffixes().index(("pty", "ltd")) < legal_suffixes().index(("ltd",))
    assert ("robert", "bob", "rob", "bobby", "robbie", "bert") in nickname_groups()


@pytest.mark.parametrize("name", ["tradeshow", "webinar", "business-cards", "purchased-list"])
def test_shipped_source_mappings_are_valid(name):
    mapping = load_source_mapping(DEFAULTS / "offline" / f"{name}.toml")
    assert mapping.columns and mapping.source.lead_source


def test_shipped_matching_rules_are_valid():
    rules = load_rules(DEFAULTS / "matching.toml")
    assert rules.matching.backend == "duckdb" and rules.fields["email"] == "email"


def test_a_mapping_with_an_unknown_key_names_file_and_key(tmp_path):
    from syncd.errors import ConfigError

    path = tmp_path / "bad.toml"
    path.write_text('[source]\nlead_sorce = "x"\n\n[columns]\n"E-mail" = "emial"\n')
    with pytest.raises(ConfigError) as info:
        load_source_mapping(path)
    text = info.value.render()
    assert "source.lead_sorce: unknown key" in text and "did you mean 'lead_source'" in text
    assert "columns.E-mail" in text and str(path) in text
