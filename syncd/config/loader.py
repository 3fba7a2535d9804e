"""Read ``config.toml`` and the mapping files once, report every problem together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from syncd.config.schema import Config, Secrets
from syncd.config.secrets import find_inline_secrets, resolve_secret
from syncd.issues import issues_from_validation, read_toml
from syncd.errors import ConfigError, ConfigIssue
from syncd.mapping import FieldMapping, load_field_mapping

if TYPE_CHECKING:
    from syncd.lifecycle import ScoringModel
    from syncd.routing import RoutingRules

__all__ = ["Settings", "load_config", "load_settings"]


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run needs: config, resolved secrets and the mappings."""

    config_path: Path
    config: Config
    secrets: Secrets = field(repr=False)
    mappings_dir: Path
    fields: FieldMapping
    scoring: "ScoringModel"
    routing: "RoutingRules | None" = None


def load_config(path: Path) -> Config:
    """Validate ``config.toml`` alone (no secrets, no mappings); raise ``ConfigError``."""
    config, issues = _parse_config(path)
    if issues or config is None:
        raise ConfigError(issues)
    return config


def _parse_config(path: Path) -> tuple[Config | None, list[ConfigIssue]]:
    data, issues = read_toml(path)
    if data is None:
        return None, issues
    issues = find_inline_secrets(data, file=str(path))
    clean = _without(data, {i.path for i in issues})
    try:
        return Config.model_validate(clean), issues
    except ValidationError as exc:
        return None, issues + issues_from_validation(exc, file=str(path), model=Config)


def _without(data: dict[str, Any], paths: set[str], prefix: str = "") -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else key
        if path in paths:
            continue
        out[key] = _without(value, paths, path) if isinstance(value, dict) else value
    return out


def _resolve_secrets(config: Config, file: str, issues: list[ConfigIssue]) -> Secrets | None:
    hs, sf = config.hubspot, config.salesforce

    base = Path(file).parent

    def get(env, path, where, required):
        if path is not None and not path.is_absolute():
            path = (base / path).resolve()
        return resolve_secret(env=env, file=path, where=where, config_file=file,
                              required=required, issues=issues)

    before = len(issues)
    values = {
        "hubspot_token": get(hs.token_env, hs.token_file, "hubspot.token", True),
        "hubspot_client_secret": get(hs.webhooks.client_secret_env, hs.webhooks.client_secret_file,
                                     "hubspot.webhooks.client_secret", hs.webhooks.enabled),
        "salesforce_client_id": get(sf.client_id_env, sf.client_id_file,
                                    "salesforce.client_id", True),
        "salesforce_client_secret": get(sf.client_secret_env, sf.client_secret_file,
                                        "salesforce.client_secret",
                                        sf.auth != "jwt"),
        "salesforce_password": get(sf.password_env, sf.password_file, "salesforce.password",
                                   sf.auth == "password"),
        "state_password": get(config.state.password_env, config.state.password_file, "state.password",
                              bool(config.state.password_env or config.state.password_file)),
    }
    return None if len(issues) > before else Secrets(**values)


def load_settings(path: Path) -> Settings:
    """Load config, secrets and mappings; raise one ``ConfigError`` listing every problem."""
    from syncd.lifecycle import load_scoring
    from syncd.routing import load_routing

    path = Path(path)
    config, issues = _parse_config(path)
    if config is None:
        raise ConfigError(issues)
    secrets = _resolve_secrets(config, str(path), issues)
    mappings_dir = config.mappings.dir
    if not mappings_dir.is_absolute():
        mappings_dir = (path.parent / mappings_dir).resolve()
    fields, field_issues = load_field_mapping(mappings_dir / "fields.toml")
    issues += field_issues
    scoring = routing = None
    try:
        scoring = load_scoring(mappings_dir / "scoring.toml")
    except ConfigError as exc:
        issues += exc.issues
    routing_file = mappings_dir / "routing.toml"
    if routing_file.exists():  # without it: no owner rules, no follow-up tasks (check-config says so)
        try:
            routing = load_routing(routing_file, stage_keys=scoring.ranks if scoring else None)
        except ConfigError as exc:
            issues += exc.issues
    if issues or secrets is None or fields is None or scoring is None:
        raise ConfigError(issues)
    return Settings(config_path=path, config=config, secrets=secrets,
                    mappings_dir=mappings_dir, fields=fields, scoring=scoring, routing=routing)
