"""Request context and response helpers shared by the route handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from .errors import ApiError
from .settings import SalesforceSettings
from .state import SalesforceState

__all__ = ["Ctx", "json_response", "read_json"]


@dataclass(frozen=True, kw_only=True)
class Ctx:
    """Everything a handler needs about the request it serves."""

    state: SalesforceState
    settings: SalesforceSettings
    request: Request

    @property
    def base_url(self) -> str:
        # simple-salesforce keeps only host[:port] of instance_url, so echo the Host header.
        return f"https://{self.request.host}"

    @property
    def allow_save(self) -> bool:
        header = self.request.headers.get("Sforce-Duplicate-Rule-Header", "")
        return "allowsave=true" in header.replace(" ", "").lower()

    def api_context(self):
        """A write context for this request (caller holds the state lock)."""
        return self.state.write_context(api=True, lock_rate=self.settings.lock_error_rate,
                                        seed=self.settings.seed, allow_save=self.allow_save)


def json_response(body: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, separators=(",", ":")), status=status,
                    headers=headers, content_type="application/json;charset=UTF-8")


def read_json(request: Request) -> object:
    """The JSON body, or a 400 JSON_PARSER_ERROR like Salesforce's."""
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        raise ApiError.of(400, "JSON_PARSER_ERROR",
                          f"Unexpected character in request body: {exc}") from None
