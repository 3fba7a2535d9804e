"""docker-compose.example.yml: valid Compose (``docker compose config`` where the plugin
exists, else the Compose Specification's JSON schema), two syncd replicas on PostgreSQL,
every secret a file, and a config the daemon accepts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from syncd.config import load_config

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.example.yml"


def _has_compose_plugin() -> bool:
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0


def _validate(path: Path) -> subprocess.CompletedProcess:
    if _has_compose_plugin():
        return subprocess.run(["docker", "compose", "-f", str(path), "config", "--quiet"],
                              capture_output=True, text=True, cwd=path.parent, timeout=60)
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is installed with the test extras"
    return subprocess.run([checker, "--builtin-schema", "vendor.compose-spec", str(path)],
                          capture_output=True, text=True, timeout=60)


def _copy_with_secrets(tmp_path: Path, text: str) -> Path:
    (tmp_path / "secrets").mkdir()
    for name in ("hubspot_token", "salesforce_client_id", "salesforce_client_secret", "postgres_password"):
        (tmp_path / "secrets" / name).write_text("x")
    (tmp_path / "deploy").mkdir()
    shutil.copy(REPO / "deploy" / "syncd.toml", tmp_path / "deploy" / "syncd.toml")
    path = tmp_path / "docker-compose.yml"
    path.write_text(text)
    return path


def test_the_compose_file_validates(tmp_path):
    result = _validate(_copy_with_secrets(tmp_path, COMPOSE.read_text()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_compose_file(tmp_path):
    broken = COMPOSE.read_text().replace("    stop_grace_period:", "    stop_grace_periods:")
    assert _validate(_copy_with_secrets(tmp_path, broken)).returncode != 0


def test_two_replicas_postgres_and_secrets_as_files():
    doc = YAML(typ="safe").load(COMPOSE.read_text())
    syncd, postgres = doc["services"]["syncd"], doc["services"]["postgres"]
    assert syncd["deploy"]["replicas"] == 2 and syncd["command"] == ["run"]
    assert syncd["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert all(set(secret) == {"file"} for secret in doc["secrets"].values())
    assert set(syncd["secrets"]) == set(doc["secrets"])
    assert postgres["environment"]["POSTGRES_PASSWORD_FILE"].startswith("/run/secrets/")
    for env in (syncd.get("environment", {}), postgres["environment"]):
        assert not any(w in k for k in env for w in ("TOKEN", "SECRET")) and "POSTGRES_PASSWORD" not in env


def test_the_mounted_config_is_one_the_daemon_accepts():
    config = load_config(REPO / "deploy" / "syncd.toml")
    assert config.state.url.startswith("postgresql://") and "@" in config.state.url
    assert ":" not in config.state.url.split("@")[0].removeprefix("postgresql://"), "no password in the URL"
    assert str(config.state.password_file).startswith("/run/secrets/")
    assert config.ops.port == 9464 and config.ops.host == "0.0.0.0"
    assert config.schedule.drain_seconds < 60  # the compose stop_grace_period


@pytest.mark.parametrize("name", ["README.md"])
def test_the_readme_shows_how_to_run_it(name):
    text = (REPO / name).read_text()
    assert "docker compose -f docker-compose.example.yml up" in text and "/metrics" in text
