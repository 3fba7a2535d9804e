"""The shape of ``config.toml``. Frozen, unknown keys refused, secrets only by reference.

A secret is named by ``<name>_env`` (an environment variable) or ``<name>_file`` (a file
such as a Docker secret), never written inline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

__all__ = ["Config", "HubSpotSection", "JobSchedule", "LoggingSection", "OpsSection",
           "SalesforceSection", "ScheduleSection", "Secrets", "StateSection"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WebhookSection(_Frozen):
    """Optional near-real-time trigger: HubSpot calls syncd when contacts change."""

    enabled: bool = False
    host: str = "0.0.0.0"
    port: int = Field(8090, ge=1, le=65535)
    public_url: HttpUrl | None = None
    client_secret_env: str | None = "SYNCD_HUBSPOT_CLIENT_SECRET"
    client_secret_file: Path | None = None


class HubSpotSection(_Frozen):
    base_url: HttpUrl = HttpUrl("https://api.hubapi.com")
    token_env: str | None = "SYNCD_HUBSPOT_TOKEN"
    token_file: Path | None = None
    rate_limit_per_10s: int = Field(100, ge=1, le=1000)
    daily_limit: int = Field(250_000, ge=1000, le=100_000_000)  # HubSpot's tiers: 250k-1M (+ add-ons)
    daily_budget_share: float = Field(0.5, gt=0, le=1)
    search_per_second: int = Field(4, ge=1, le=50)
    timeout_seconds: float = Field(30, gt=0, le=600)
    overlap_minutes: float = Field(5, ge=0, le=1440)
    late_window_hours: float = Field(24, ge=0, le=24 * 30)
    late_sweep_every_minutes: float = Field(60, ge=0, le=24 * 60)
    deletion_scan_every_minutes: float = Field(60, ge=0, le=7 * 24 * 60)
    # Pages read ahead while syncd stores the ones before them (0: read one page at a time).
    read_ahead_pages: int = Field(4, ge=0, le=64)
    webhooks: WebhookSection = WebhookSection()


class SalesforceSection(_Frozen):
    login_url: HttpUrl = HttpUrl("https://login.salesforce.com")
    instance_url: HttpUrl | None = None
    auth: Literal["client_credentials", "jwt", "password"] = "client_credentials"
    client_id_env: str | None = "SYNCD_SALESFORCE_CLIENT_ID"
    client_id_file: Path | None = None
    client_secret_env: str | None = "SYNCD_SALESFORCE_CLIENT_SECRET"
    client_secret_file: Path | None = None
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    private_key_file: Path | None = None
    ca_bundle: Path | None = None
    api_version: str = Field("59.0", pattern=r"^\d{2}\.0$")
    timeout_seconds: float = Field(30, gt=0, le=600)
    bulk_threshold: int = Field(2000, ge=200, le=150_000_000)  # Bulk 2.0's daily record limit
    # How fresh sales' changes (Lead Status, owner, conversion) must be: the change feed is
    # read at most this often, and always when there is work pending.
    feed_every_minutes: float = Field(5, ge=0, le=1440)

    @model_validator(mode="after")
    def _auth_needs(self) -> SalesforceSection:
        if self.auth in ("jwt", "password") and not self.username:
            raise ValueError(f"auth = '{self.auth}' needs 'username'")
        if self.auth == "jwt" and not self.private_key_file:
            raise ValueError("auth = 'jwt' needs 'private_key_file'")
        return self


def _check_cron(expression: str) -> str:
    """A five-field crontab line APScheduler accepts; days of the week by name only."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) == 5 and any(ch.isdigit() for ch in fields[4]):
        raise ValueError(f"cron '{expression}': name the days of the week (mon-fri, sun), "
                         "numbers are ambiguous (cron counts from Sunday, APScheduler from Monday)")
    CronTrigger.from_crontab(expression, timezone="UTC")  # raises ValueError naming the field
    return expression


class JobSchedule(_Frozen):
    """When a job runs: every ``interval_minutes`` or on a ``cron`` line (UTC), never both."""

    enabled: bool = True
    interval_minutes: float | None = Field(None, gt=0, le=7 * 1440)
    cron: str | None = None
    timeout_minutes: float = Field(60, gt=0, le=1440)

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if (self.interval_minutes is None) == (self.cron is None):
            raise ValueError("give either 'interval_minutes' or 'cron' (e.g. \"30 2 * * *\")")
        if self.cron is not None:
            _check_cron(self.cron)
        return self


class ScheduleSection(_Frozen):
    """The sync cycle's schedule (``interval_minutes`` or ``cron``) and the other jobs'."""

    interval_minutes: float = Field(15, gt=0, le=1440)
    cron: str | None = None
    run_timeout_minutes: float = Field(30, gt=0, le=1440)
    drain_seconds: float = Field(30, gt=0, le=3600)
    audit: JobSchedule = JobSchedule(cron="30 2 * * *", timeout_minutes=60)
    offline: JobSchedule = JobSchedule(enabled=False, interval_minutes=5, timeout_minutes=30)

    @model_validator(mode="after")
    def _sync_trigger(self) -> ScheduleSection:
        if self.cron is not None:
            if "interval_minutes" in self.model_fields_set:
                raise ValueError("give either 'interval_minutes' or 'cron' for the sync cycle, not both")
            _check_cron(self.cron)
        return self


class OpsSection(_Frozen):
    """Probes and metrics served by the daemon (off unless ``port`` is set)."""

    port: int | None = Field(None, ge=1, le=65535)
    host: str = "127.0.0.1"
    heartbeat_max_age_seconds: float = Field(120, ge=10, le=3600)


STATE_URL_SCHEMES = ("sqlite:///", "postgresql://", "postgresql+psycopg://")


class StateSection(_Frozen):
    url: str = Field("sqlite:///var/syncd/state.db", min_length=1)
    # PostgreSQL's password, if the server asks for one: never in the URL.
    password_env: str | None = None
    password_file: Path | None = None
    # PostgreSQL: the writer lease. A replica paused or gone longer than this is replaced
    # (within this plus one renewal, a third of it); it renews every third of it.
    lease_ttl_seconds: float = Field(30, ge=3, le=600)

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        if not url.startswith(STATE_URL_SCHEMES):
            scheme = url.split(":", 1)[0] if ":" in url else url
            raise ValueError(f"unsupported state store '{scheme}': use sqlite:///path/to/state.db "
                             "or postgresql://user@host/database")
        if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") in ("", "/"):
            raise ValueError("sqlite:/// needs a file path, e.g. sqlite:///var/syncd/state.db")
        return url


class LoggingSection(_Frozen):
    format: Literal["auto", "json", "console"] = "auto"
    level: Literal["debug", "info", "warning", "error"] = "info"
    heartbeat_file: Path = Path("var/syncd/heartbeat")
    hmac_key_env: str | None = "SYNCD_LOG_HMAC_KEY"


class MappingsSection(_Frozen):
    dir: Path = Path("mappings")


class OfflineSection(_Frozen):
    """Offline lead files: the drop folder the daemon takes files from (``done/`` and
    ``failed/`` are made inside it) and when a record may become a new HubSpot contact."""

    drop_dir: Path | None = None
    create_contacts: Literal["where_consent", "only_with_consent", "never"] = "where_consent"


class Config(_Frozen):
    """``config.toml`` as written, validated."""

    hubspot: HubSpotSection = HubSpotSection()
    salesforce: SalesforceSection = SalesforceSection()
    schedule: ScheduleSection = ScheduleSection()
    state: StateSection = StateSection()
    logging: LoggingSection = LoggingSection()
    mappings: MappingsSection = MappingsSection()
    ops: OpsSection = OpsSection()
    offline: OfflineSection = OfflineSection()


class Secrets(_Frozen):
    """Secret values resolved from the environment or files; never logged, never dumped."""

    hubspot_token: str = Field(repr=False)
    hubspot_client_secret: str | None = Field(None, repr=False)
    salesforce_client_id: str | None = Field(None, repr=False)
    salesforce_client_secret: str | None = Field(None, repr=False)
    salesforce_password: str | None = Field(None, repr=False)
    state_password: str | None = Field(None, repr=False)
