"""Build the gateway from syncd's loaded settings (``config.toml`` + secrets + mappings).

Kept here so the composition root needs one call: ``gateway_from_settings(settings)``.
Relative paths (``ca_bundle``, ``private_key_file``) are relative to the config file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .gateway import DEFAULT_FIELDS, SalesforceGateway
from .settings import SalesforceClientSettings

__all__ = ["client_settings", "gateway_from_settings", "read_fields"]


def _path(base: Path, value: Path | None) -> Path | None:
    if value is None:
        return None
    value = Path(value)
    return value if value.is_absolute() else (base / value).resolve()


def client_settings(section: Any, secrets: Any, *, base_dir: Path,
                    external_id_field: str = "HubSpot_Id__c") -> SalesforceClientSettings:
    """``SalesforceClientSettings`` from a ``[salesforce]`` section and resolved secrets."""
    instance = str(section.instance_url).rstrip("/") if section.instance_url else None
    return SalesforceClientSettings(
        login_url=str(section.login_url).rstrip("/"), instance_url=instance,
        auth=section.auth, client_id=secrets.salesforce_client_id,
        client_secret=secrets.salesforce_client_secret, username=section.username,
        password=secrets.salesforce_password,
        private_key_file=_path(base_dir, section.private_key_file),
        ca_bundle=_path(base_dir, section.ca_bundle), api_version=section.api_version,
        timeout=section.timeout_seconds, bulk_threshold=section.bulk_threshold,
        external_id_field=external_id_field)


def read_fields(mapping: Any) -> dict[str, tuple[str, ...]]:
    """What to read per object: the defaults plus every field the mapping reads or writes.

    The planner compares these values with what it would write, so a mapped field missing
    here would be rewritten on every cycle.
    """
    return {name: tuple(dict.fromkeys([*DEFAULT_FIELDS[name],
                                       *sorted(mapping.salesforce_fields(name))]))
            for name in ("Lead", "Contact")}


def gateway_from_settings(settings: Any, *,
                          sleep: Callable[[float], None] | None = None) -> SalesforceGateway:
    """The gateway for a loaded ``syncd.config.Settings`` (no network until first use)."""
    return SalesforceGateway(
        client_settings(settings.config.salesforce, settings.secrets,
                        base_dir=Path(settings.config_path).parent,
                        external_id_field=settings.fields.salesforce.external_id_field),
        fields=read_fields(settings.fields), sleep=sleep)
