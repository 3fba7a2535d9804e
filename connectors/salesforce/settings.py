"""How syncd reaches one Salesforce org: endpoints, credentials, TLS trust and batch sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = ["AuthMethod", "SalesforceClientSettings"]

AuthMethod = Literal["client_credentials", "jwt", "password", "session"]

_NEEDS: dict[str, tuple[str, ...]] = {
    "client_credentials": ("client_id", "client_secret"),
    "jwt": ("client_id", "username", "private_key_file"),
    "password": ("client_id", "client_secret", "username", "password"),
    "session": ("session_id", "instance_url"),
}
_VERSION = re.compile(r"^\d{2}\.0$")


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesforceClientSettings:
    """Connection settings; secrets arrive as values and are never shown by ``repr``.

    ``login_url`` is where tokens are requested (``https://login.salesforce.com``,
    ``https://test.salesforce.com`` or a My Domain URL); ``instance_url`` is only needed
    for ``auth="session"``. ``ca_bundle`` is a PEM file used to verify TLS (the sandbox's
    CA, or a TLS-inspecting proxy's).
    """

    login_url: str = "https://login.salesforce.com"
    instance_url: str | None = None
    auth: AuthMethod = "client_credentials"
    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)
    private_key_file: Path | None = None
    session_id: str | None = field(default=None, repr=False)
    ca_bundle: Path | None = None
    api_version: str = "59.0"
    timeout: float = 30.0
    bulk_threshold: int = 2000
    bulk_poll_seconds: float = 5.0
    bulk_query_page_size: int = 50_000  # rows per results page of a Bulk 2.0 query job
    bulk_query_chunk_size: int = 2_000  # rows handed on (and stored) at a time while reading one
    external_id_field: str = "HubSpot_Id__c"
    row_retry_attempts: int = 4
    call_retry_attempts: int = 3
    max_query_chars: int = 12_000

    def __post_init__(self) -> None:
        problems = []
        if self.auth not in _NEEDS:
            problems.append(f"auth={self.auth!r} is not one of {sorted(_NEEDS)}")
        missing = [name for name in _NEEDS.get(self.auth, ()) if not getattr(self, name)]
        if missing:
            problems.append(f"auth={self.auth!r} needs {', '.join(missing)}")
        if not _VERSION.match(self.api_version):
            problems.append(f"api_version={self.api_version!r} must look like '59.0'")
        if not self.login_url.startswith("https://"):
            problems.append(f"login_url={self.login_url!r} must start with https://")
        if self.timeout <= 0 or self.bulk_threshold < 1 or self.row_retry_attempts < 1:
            problems.append("timeout, bulk_threshold and row_retry_attempts must be positive")
        if self.call_retry_attempts < 1 or self.max_query_chars < 1000:
            problems.append("call_retry_attempts must be >= 1 and max_query_chars >= 1000")
        if problems:
            raise ValueError("invalid Salesforce settings: " + "; ".join(problems))

    @property
    def token_url(self) -> str:
        """The OAuth 2.0 token endpoint of ``login_url``."""
        return self.login_url.rstrip("/") + "/services/oauth2/token"
