"""config.toml validation: every problem at once, with file, key path and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd.config import load_config
from syncd.config.loader import _parse_config, _resolve_secrets
from syncd.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [i.render() for i in info.value.issues]


def test_example_config_is_valid_and_frozen():
    config = load_config(REPO / "config.example.toml")
    assert config.schedule.interval_minutes == 15
    assert str(config.hubspot.base_url) == "https://api.hubapi.com/"
    with pytest.raises(Exception):
        config.schedule.interval_minutes = 1


def test_empty_file_gives_defaults(tmp_path):
    assert load_config(write(tmp_path, "")).state.url.startswith("sqlite:///")


def test_all_problems_are_reported_together_with_paths_and_suggestions(tmp_path):
    found = problems(write(tmp_path, """
[hubspot]
rate_limt_per_10s = 100
daily_budget_share = 3

[schedule]
interval_minutes = "often"

[salesforce]
auth = "magic"
"""))
    text = "\n".join(found)
    assert len(found) == 4, text
    assert "hubspot.rate_limt_per_10s: unknown key" in text and "did you mean 'rate_limit_per_10s'?" in text
    assert "hubspot.daily_budget_share" in text and "found 3" in text
    assert "schedule.interval_minutes" in text and "'often'" in text
    assert "salesforce.auth" in text and "client_credentials" in text
    assert all(line.startswith(str(tmp_path / "config.toml")) for line in found)


def test_unknown_section_is_an_error(tmp_path):
    (line,) = problems(write(tmp_path, "[hubspott]\ntoken_env = 'X'\n"))
    assert "hubspott: unknown key" in line and "did you mean 'hubspot'?" in line


@pytest.mark.parametrize("text", [
    '[hubspot]\ntoken = "pat-na1-11112222-3333-4444-5555-666677778888"\n',
    '[salesforce]\nclient_secret = "abc"\n',
    '[salesforce]\nusername = "pat-na1-11112222-3333-4444-5555-666677778888"\n',
])
def test_inline_secrets_are_refused_with_where_to_put_them(tmp_path, text):
    found = problems(write(tmp_path, text))
    assert any("a secret must not be written in the config file" in f and "_env" in f and "_file" in f
               for f in found), found
    assert not any("pat-na1" in f or "abc" in f.split(":")[-1] for f in found)


def test_malformed_toml_names_the_line(tmp_path):
    (line,) = problems(write(tmp_path, "[hubspot\n"))
    assert "not valid TOML" in line and "line 1" in line


def test_missing_file_says_how_to_start(tmp_path):
    (line,) = problems(tmp_path / "nope.toml")
    assert "file not found" in line and "config.example.toml" in line


def test_jwt_needs_username_and_key(tmp_path):
    (line,) = problems(write(tmp_path, '[salesforce]\nauth = "jwt"\n'))
    assert "needs 'username'" in line


def test_secrets_come_from_env_or_files(tmp_path, monkeypatch):
    token = tmp_path / "token"
    token.write_text("hub-secret\n")
    path = write(tmp_path, f'[hubspot]\ntoken_file = "{token}"\n[salesforce]\nclient_id_env = "CID"\n'
                           'client_secret_env = "CSECRET"\n')
    monkeypatch.setenv("CID", "id-1")
    monkeypatch.delenv("CSECRET", raising=False)
    config, issues = _parse_config(path)
    assert _resolve_secrets(config, str(path), issues) is None
    assert [i.render() for i in issues] == [
        f"{path}: salesforce.client_secret_env: environment variable CSECRET is not set; "
        "export CSECRET=... or set salesforce.client_secret_file"]
    monkeypatch.setenv("CSECRET", "s")
    issues = []
    secrets = _resolve_secrets(config, str(path), issues)
    assert secrets.hubspot_token == "hub-secret" and secrets.salesforce_client_secret == "s"
    assert "hub-secret" not in repr(secrets)
