"""`syncd once` refuses bad credentials, hosts, config and mappings cleanly: a clear message,
a non-zero exit, nothing written to Salesforce and no cursor moved."""

from __future__ import annotations

import re
import shutil
import socket

import pytest

from syncd.app import open_app
from syncd.cli import main
from syncd.runner import run_once
from tests.e2e.conftest import write_calls


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cursors(config_path):
    app = open_app(config_path)
    try:
        return app.store.load_cursors()
    finally:
        app.close()


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _break_hubspot_token(config_path, sandbox):
    (config_path.parent / "secrets" / "hubspot_token").write_text("wrong-token\n")


def _break_salesforce_secret(config_path, sandbox):
    (config_path.parent / "secrets" / "salesforce_client_secret").write_text("wrong\n")


def _unreachable_hubspot(config_path, sandbox):
    _edit(config_path, sandbox.endpoints.hubspot_url, f"http://127.0.0.1:{_closed_port()}")


def _unreachable_salesforce(config_path, sandbox):
    _edit(config_path, f'login_url = "{sandbox.endpoints.salesforce_url}"',
          f'login_url = "https://127.0.0.1:{_closed_port()}"')


def _malformed_config(config_path, sandbox):
    config_path.write_text(config_path.read_text() + "\n[schedule\n")


def _unknown_mapping_field(config_path, sandbox):
    mappings = config_path.parent / "mappings"
    shutil.copytree(config_path.parent.parent / "repo-mappings", mappings)
    _edit(mappings / "fields.toml", 'salesforce = "Title"', 'salesforce = "Titel"')
    _edit(config_path, 'dir = "', f'dir = "{mappings}" #')


def _stage_not_in_portal(config_path, sandbox):
    mappings = config_path.parent / "mappings"
    shutil.copytree(config_path.parent.parent / "repo-mappings", mappings)
    _edit(mappings / "scoring.toml", 'hubspot = "marketingqualifiedlead"', 'hubspot = "hot_lead"')
    _edit(config_path, 'dir = "', f'dir = "{mappings}" #')


CASES = [
    (_break_hubspot_token, 3, r"hubspot .*(401|token|auth)"),
    (_break_salesforce_secret, 3, r"salesforce .*(invalid_client|credentials|secret)"),
    (_unreachable_hubspot, 3, r"hubspot .*(connect|reach)"),
    (_unreachable_salesforce, 3, r"salesforce .*(connect|reach)"),
    (_malformed_config, 2, r"config\.toml: not valid TOML"),
    (_stage_not_in_portal, 2, r"scoring\.toml: .*hot_lead"),
    (_unknown_mapping_field, 2, r"fields\.toml: fields\[\d\]: (Lead|Contact) has no field 'Titel'; did you mean 'Title'\?"),
]


@pytest.mark.parametrize(("breakage", "code", "message"), CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_once_fails_cleanly(breakage, code, message, sandbox, config_path, capsys):
    from syncd.demo import DEFAULT_MAPPINGS

    shutil.copytree(DEFAULT_MAPPINGS, config_path.parent.parent / "repo-mappings")
    app = open_app(config_path)
    run_once(app)  # a good cycle first, so there are cursors to keep
    app.close()
    sandbox.drift(0)  # and something new to pull
    cursors, writes = _cursors(config_path), write_calls(sandbox.stats())
    capsys.readouterr()

    breakage(config_path, sandbox)
    assert main(["once", "--config", str(config_path)]) == code

    err = capsys.readouterr().err
    assert re.search(message, err, re.I | re.S), err
    assert "Traceback" not in err and err.startswith("syncd: ")
    assert write_calls(sandbox.stats()) == writes
    if breakage is not _malformed_config:
        assert _cursors(config_path) == cursors
