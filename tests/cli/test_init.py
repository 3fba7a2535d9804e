"""``syncd init DIR``: the example configuration and the default mappings, from the installed
package, to edit; then ``check-config --offline`` accepts them, from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from syncd.cli import main

REPO = Path(__file__).resolve().parents[2]
SECRETS = {"SYNCD_HUBSPOT_TOKEN": "t", "SYNCD_SALESFORCE_CLIENT_ID": "i",
           "SYNCD_SALESFORCE_CLIENT_SECRET": "s"}


def test_init_writes_the_example_config_and_the_default_mappings(tmp_path, capsys):
    target = tmp_path / "acme"
    assert main(["init", str(target)]) == 0
    assert (target / "config.toml").read_text() == (REPO / "config.example.toml").read_text()
    shipped = sorted(p.relative_to(REPO / "mappings") for p in (REPO / "mappings").rglob("*.toml"))
    written = sorted(p.relative_to(target / "mappings") for p in (target / "mappings").rglob("*.toml"))
    assert shipped and written == shipped
    for rel in shipped:
        assert (target / "mappings" / rel).read_bytes() == (REPO / "mappings" / rel).read_bytes()
    out = capsys.readouterr().out
    assert f"syncd check-config --offline --config {target / 'config.toml'}" in out
    assert "SYNCD_HUBSPOT_TOKEN=..." in out and "SYNCD_SALESFORCE_CLIENT_SECRET=..." in out


def test_init_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    target = tmp_path / "acme"
    (target / "mappings").mkdir(parents=True)
    (target / "mappings" / "scoring.toml").write_text("# mine\n")
    assert main(["init", str(target)]) == 1
    assert "not overwriting" in capsys.readouterr().err
    assert (target / "mappings" / "scoring.toml").read_text() == "# mine\n"
    assert not (target / "config.toml").exists()  # nothing is written when anything exists
    assert main(["init", "--force", str(target)]) == 0
    assert (target / "mappings" / "scoring.toml").read_text() != "# mine\n"


def test_check_config_offline_accepts_what_init_wrote(tmp_path, monkeypatch, capsys):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert main(["init", "site"]) == 0
    assert main(["check-config", "--offline", "--config", "site/config.toml"]) == 0
    assert "configuration, mappings and state store are valid" in capsys.readouterr().out


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """syncd built as a wheel and installed (not editable) into a folder of its own."""
    wheels, target = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "--quiet", "-w", str(wheels), str(REPO)], check=True, capture_output=True,
                   timeout=300)
    (wheel,) = wheels.glob("syncd-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    return target


def _syncd(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    code = ("import sys, syncd; assert syncd.__file__.startswith(sys.argv[1]), syncd.__file__; "
            "from syncd.cli import main; sys.exit(main(sys.argv[2:]))")
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-c", code, str(site), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_an_installed_syncd_inits_and_checks_from_any_folder(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    made = _syncd(installed, elsewhere, "init", str(tmp_path / "acme"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "acme" / "mappings" / "scoring.toml").is_file()
    checked = _syncd(installed, elsewhere, "check-config", "--offline", "--config",
                     str(tmp_path / "acme" / "config.toml"))
    assert checked.returncode == 0, checked.stderr
    assert "configuration, mappings and state store are valid" in checked.stdout
