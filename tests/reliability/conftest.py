"""The end-to-end fixtures (a started sandbox, a config pointing at it)."""

from tests.e2e.conftest import config_path, sandbox  # noqa: F401 - pytest fixtures
