"""Secrets come from environment variables or files, never from the TOML itself."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from syncd.errors import ConfigIssue

__all__ = ["find_inline_secrets", "resolve_secret"]

_SECRET_KEYS = frozenset({"token", "access_token", "password", "client_secret", "secret",
                          "api_key", "private_key", "client_id_secret", "session_id"})
_SECRET_VALUES = (
    re.compile(r"\bpat-(na|eu|ap)\d-[0-9a-f-]{20,}", re.I),  # HubSpot private app token
    re.compile(r"\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{20,}"),  # Salesforce session id
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
)


def find_inline_secrets(data: Mapping[str, Any], *, file: str, prefix: str = "") -> list[ConfigIssue]:
    """Refuse secret-looking keys or values written into a config file, saying where they go."""
    issues = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            issues += find_inline_secrets(value, file=file, prefix=path)
            continue
        looks_secret = key.lower() in _SECRET_KEYS or (
            isinstance(value, str) and any(p.search(value) for p in _SECRET_VALUES))
        if looks_secret:
            issues.append(ConfigIssue(
                file=file, path=path, message="a secret must not be written in the config file",
                hint=(f"remove it; put the value in an environment variable and set "
                      f"'{key.removesuffix('_env')}_env = \"VARIABLE_NAME\"', or in a file "
                      f"(e.g. a Docker secret) and set '{key}_file = \"/run/secrets/...\"'")))
    return issues


def resolve_secret(*, env: str | None, file: Path | None, where: str, config_file: str,
                   required: bool, issues: list[ConfigIssue]) -> str | None:
    """Read one secret from its file or environment variable; a missing one becomes an issue."""
    if file is not None:
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            issues.append(ConfigIssue(file=config_file, path=f"{where}_file",
                                      message=f"cannot read secret file: {exc.strerror}",
                                      found=str(file), hint="check the path and its permissions"))
            return None
        if value:
            return value
        issues.append(ConfigIssue(file=config_file, path=f"{where}_file",
                                  message="secret file is empty", found=str(file)))
        return None
    if env:
        value = os.environ.get(env, "").strip()
        if value:
            return value
        if required:
            issues.append(ConfigIssue(file=config_file, path=f"{where}_env",
                                      message=f"environment variable {env} is not set",
                                      hint=f"export {env}=... or set {where}_file"))
        return None
    if required:
        issues.append(ConfigIssue(file=config_file, path=where, message="no secret configured",
                                  hint=f"set {where}_env or {where}_file"))
    return None
