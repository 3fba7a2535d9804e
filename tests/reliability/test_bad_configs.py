"""A corpus of bad configurations and mappings: ``syncd check-config`` exits 2 for every one,
names the file and the key or line, and prints no traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from syncd.cli import main
from syncd.demo import DEFAULT_MAPPINGS

CONFIG = """[hubspot]
base_url = "http://127.0.0.1:9"
token_env = "CORPUS_TOKEN"
rate_limit_per_10s = 100
daily_limit = 250000
timeout_seconds = 30

[salesforce]
login_url = "https://127.0.0.1:9"
client_id_env = "CORPUS_ID"
client_secret_env = "CORPUS_SECRET"
bulk_threshold = 2000

[schedule]
interval_minutes = 15
run_timeout_minutes = 30

[state]
url = "sqlite:///state/state.db"

[logging]
format = "json"
level = "info"
heartbeat_file = "heartbeat"

[mappings]
dir = "mappings"
"""


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(d: Path) -> None:
        path = d / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1))
    return mutate


def _write(name: str, content: bytes | str) -> Callable[[Path], None]:
    def mutate(d: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (d / name).write_bytes(data)
    return mutate


def _prefix(name: str, head: bytes) -> Callable[[Path], None]:
    def mutate(d: Path) -> None:
        path = d / name
        path.write_bytes(head + path.read_bytes())
    return mutate


def _directory(name: str) -> Callable[[Path], None]:
    def mutate(d: Path) -> None:
        (d / name).unlink()
        (d / name).mkdir()
    return mutate


def _append(name: str, text: str) -> Callable[[Path], None]:
    def mutate(d: Path) -> None:
        with (d / name).open("a") as fh:
            fh.write(text)
    return mutate


C, F, S = "config.toml", "mappings/fields.toml", "mappings/scoring.toml"
LATIN1 = "# Soci\u00e9t\u00e9 g\u00e9n\u00e9rale\n".encode("latin-1")
CORPUS = [
    # name, mutation, file named, key or line named
    ("toml-syntax", _append(C, "\n[schedule\n"), C, "line"),
    ("config-bom", _prefix(C, b"\xef\xbb\xbf"), C, "byte order mark"),
    ("config-utf16", _write(C, CONFIG.encode("utf-16")), C, "UTF-16"),
    ("config-latin1", _prefix(C, LATIN1), C, "line 1, column 7"),
    ("config-is-directory", _directory(C), C, "is a directory"),
    ("state-url-mysql", _replace(C, 'url = "sqlite:///state/state.db"', 'url = "mysql://u@db/syncd"'), C, "state.url"),
    ("state-url-empty", _replace(C, 'url = "sqlite:///state/state.db"', 'url = ""'), C, "state.url"),
    ("state-url-no-path", _replace(C, 'url = "sqlite:///state/state.db"', 'url = "sqlite:///"'), C, "state.url"),
    ("daily-limit-1e32", _replace(C, "daily_limit = 250000", "daily_limit = 1e32"), C, "hubspot.daily_limit"),
    ("daily-limit-tiny", _replace(C, "daily_limit = 250000", "daily_limit = 10"), C, "hubspot.daily_limit"),
    ("daily-limit-text", _replace(C, "daily_limit = 250000", 'daily_limit = "lots"'), C, "hubspot.daily_limit"),
    ("rate-limit-zero", _replace(C, "rate_limit_per_10s = 100", "rate_limit_per_10s = 0"), C, "hubspot.rate_limit_per_10s"),
    ("rate-limit-huge", _replace(C, "rate_limit_per_10s = 100", "rate_limit_per_10s = 100000"), C, "hubspot.rate_limit_per_10s"),
    ("budget-share", _replace(C, "timeout_seconds = 30", "timeout_seconds = 30\ndaily_budget_share = 1.5"), C, "hubspot.daily_budget_share"),
    ("timeout-inf", _replace(C, "timeout_seconds = 30", "timeout_seconds = inf"), C, "hubspot.timeout_seconds"),
    ("timeout-nan", _replace(C, "timeout_seconds = 30", "timeout_seconds = nan"), C, "hubspot.timeout_seconds"),
    ("interval-zero", _replace(C, "interval_minutes = 15", "interval_minutes = 0"), C, "schedule.interval_minutes"),
    ("interval-huge", _replace(C, "interval_minutes = 15", "interval_minutes = 1e9"), C, "schedule.interval_minutes"),
    ("run-timeout-negative", _replace(C, "run_timeout_minutes = 30", "run_timeout_minutes = -1"), C, "schedule.run_timeout_minutes"),
    ("bulk-threshold-huge", _replace(C, "bulk_threshold = 2000", "bulk_threshold = 1e12"), C, "salesforce.bulk_threshold"),
    ("api-version", _replace(C, "bulk_threshold = 2000", 'bulk_threshold = 2000\napi_version = "latest"'), C, "salesforce.api_version"),
    ("jwt-without-user", _replace(C, "bulk_threshold = 2000", 'bulk_threshold = 2000\nauth = "jwt"'), C, "salesforce"),
    ("key-typo", _replace(C, "daily_limit = 250000", "dailylimit = 250000"), C, "did you mean 'daily_limit'"),
    ("section-typo", _append(C, "\n[hubspott]\nx = 1\n"), C, "hubspott"),
    ("log-level", _replace(C, 'level = "info"', 'level = "verbose"'), C, "logging.level"),
    ("lease-ttl-zero", _replace(C, 'url = "sqlite:///state/state.db"', 'url = "sqlite:///state/state.db"\nlease_ttl_seconds = 0'), C, "state.lease_ttl_seconds"),
    ("base-url", _replace(C, 'base_url = "http://127.0.0.1:9"', 'base_url = "not a url"'), C, "hubspot.base_url"),
    ("inline-token", _replace(C, 'token_env = "CORPUS_TOKEN"', 'token = "pat-na1-11112222-3333-4444-5555-666677778888"'), C, "hubspot.token"),
    ("webhook-port", _append(C, "\n[hubspot.webhooks]\nport = 0\n"), C, "hubspot.webhooks.port"),
    ("secret-env-unset", _replace(C, 'token_env = "CORPUS_TOKEN"', 'token_env = "CORPUS_UNSET_VARIABLE"'), C, "hubspot.token"),
    ("mappings-dir-missing", _replace(C, 'dir = "mappings"', 'dir = "no-such-dir"'), "fields.toml", "file not found"),
    ("fields-empty", _write(F, ""), F, "the file is empty"),
    ("fields-only-comments", _write(F, "# nothing mapped yet\n"), F, "the file is empty"),
    ("fields-all-dont-sync", _write(F, '[[fields]]\nhubspot = "email"\nsalesforce = "Email"\nrule = "dont_sync"\n'), F, "fields: no HubSpot property"),
    ("fields-two-writers", _append(F, '\n[[fields]]\nhubspot = "job_function"\nsalesforce = "Title"\n'), F, "Title, which fields["),
    ("fields-writes-computed", _append(F, '\n[[fields]]\nhubspot = "hs_lead_score"\nsalesforce = "Lead_Score__c"\n'), F, "computed.score writes too"),
    ("fields-writes-external-id", _append(F, '\n[[fields]]\nhubspot = "hs_object_id"\nsalesforce = "HubSpot_Id__c"\n'), F, "salesforce.external_id_field"),
    ("fields-bom", _prefix(F, b"\xef\xbb\xbf"), F, "byte order mark"),
    ("fields-latin1", _prefix(F, LATIN1), F, "not UTF-8"),
    ("fields-is-directory", _directory(F), F, "is a directory"),
    ("fields-transform", _replace(F, 'transform = "lower"', 'transform = "lowercase"'), F, "fields[0].transform"),
    ("fields-rule", _replace(F, 'rule = "prefer_salesforce_unless_blank"', 'rule = "sometimes"'), F, "fields[0].rule"),
    ("fields-no-target", _replace(F, 'salesforce = "Email"', 'sales_force = "Email"'), F, "fields[0]"),
    ("fields-phone-region", _replace(F, 'default_phone_region = "US"', 'default_phone_region = "usa"'), F, "salesforce.default_phone_region"),
    ("scoring-negative-cap", _replace(S, "cap = 40", "cap = -40"), S, "fit.groups.firmographics.cap"),
    ("scoring-positive-floor", _replace(S, "floor = -40", "floor = 40"), S, "fit.groups.data_quality.floor"),
    ("scoring-points-huge", _replace(S, "points = 20", "points = 1e9"), S, "fit.rules[0].points"),
    ("scoring-points-inf", _replace(S, "points = 20", "points = inf"), S, "fit.rules[0].points"),
    ("scoring-half-life-huge", _replace(S, "half_life_days = 30", "half_life_days = 1e7"), S, "engagement.groups.email.half_life_days"),
    ("scoring-half-life-zero", _replace(S, "half_life_days = 30", "half_life_days = 0"), S, "engagement.groups.email.half_life_days"),
    ("scoring-profile-chars", _replace(S, "profile_max_chars = 1000", "profile_max_chars = 10"), S, "model.profile_max_chars"),
    ("scoring-grade-huge", _replace(S, "A = 50", "A = 1e9"), S, "fit.grades.A"),
    ("scoring-active-window", _replace(S, "active_window_days = 30", "active_window_days = 0"), S, "intent.active_window_days"),
    ("scoring-bom", _prefix(S, b"\xef\xbb\xbf"), S, "byte order mark"),
    ("scoring-latin1", _prefix(S, LATIN1), S, "not UTF-8"),
    ("scoring-is-directory", _directory(S), S, "is a directory"),
]


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("CORPUS_TOKEN", "pat-na1-00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("CORPUS_ID", "client-id")
    monkeypatch.setenv("CORPUS_SECRET", "client-secret")
    shutil.copytree(DEFAULT_MAPPINGS, tmp_path / "mappings")
    (tmp_path / C).write_text(CONFIG)
    return tmp_path


def test_the_corpus_is_large_enough_and_the_base_is_valid(config_dir, capsys):
    assert len(CORPUS) >= 40
    assert main(["check-config", "--offline", "--config", str(config_dir / C)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(("name", "mutate", "file", "names"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_configuration_is_refused_clearly(config_dir, capsys, name, mutate, file, names):
    mutate(config_dir)
    code = main(["check-config", "--offline", "--config", str(config_dir / C)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and err.startswith("syncd: ")
    assert Path(file).name in err, err
    assert names in err, err


def test_a_hubspot_property_missing_in_the_portal_is_named(config_path, sandbox, capsys):
    mappings = config_path.parent / "my-mappings"
    shutil.copytree(DEFAULT_MAPPINGS, mappings)
    fields = mappings / "fields.toml"
    fields.write_text(fields.read_text().replace('hubspot = "jobtitle"', 'hubspot = "job_titel"', 1))
    text = config_path.read_text()
    start = text.index('dir = "')
    config_path.write_text(text[:start] + f'dir = "{mappings}"' + text[text.index("\n", start):])
    assert main(["check-config", "--config", str(config_path)]) == 2
    err = capsys.readouterr().err
    assert "fields.toml: fields[" in err and "HubSpot has no contact property 'job_titel'" in err
    assert "did you mean 'jobtitle'?" in err and "Traceback" not in err


def test_scoring_properties_missing_in_the_portal_are_warnings(config_path, sandbox, capsys):
    assert main(["check-config", "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "warning: " in out and "scoring.toml: fit.rules[" in out
    assert "HubSpot has no contact property 'numberofemployees'" in out
