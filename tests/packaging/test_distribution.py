"""What a plain install carries: syncd with its default mappings, never the sandbox."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (path,) = out.glob("syncd-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_ships_the_default_mappings(wheel):
    names = set(wheel.namelist())
    assert {"syncd/default_mappings/fields.toml", "syncd/default_mappings/scoring.toml"} <= names


def test_the_wheel_has_no_sandbox_and_no_sandbox_dependencies(wheel):
    names = wheel.namelist()
    assert not [n for n in names if n.startswith(("syncd_sandbox/", "connectors/sandbox/"))]
    meta = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    required = re.findall(r"^Requires-Dist: (.*)$", meta, re.M)
    unconditional = [r for r in required if "extra ==" not in r]
    assert not [r for r in unconditional if r.lower().startswith(("trustme", "syncd-sandbox"))]
    assert any(r.startswith("syncd-sandbox @ file:") and 'extra == "sandbox"' in r for r in required)


def test_the_image_does_not_copy_the_sandbox():
    copies = re.findall(r"^COPY (?!--from)(.*)$", (REPO / "Dockerfile").read_text(), re.M)
    assert copies and not [c for c in copies if re.search(r"\bsandbox\b", c.split()[0])]
