"""Request context and response helpers shared by the route handlers."""

from __future__ import annotations

import json
from dataclasses import dataclass

from werkzeug.wrappers import Request, Response

from .errors import ApiError
from .schema import ObjectSchema
from .settings import SalesforceSettings
from .state import SalesforceState

__all__ = ["Ctx", "body_of", "json_response", "raise_errors", "read_json", "render",
           "schema_of"]


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

    def served(self, records: int) -> None:
        """Tell the sandbox's call accounting how many records this call carried."""
        self.request.environ["sandbox.records"] = records

    def api_context(self):
        """A write context for this request (caller holds the state lock). Inside a
        Composite request the context is also handed to it, so it can roll back."""
        wctx = self.state.write_context(api=True, lock_rate=self.settings.lock_error_rate,
                                        seed=self.settings.seed, allow_save=self.allow_save)
        self.request.environ.get("sandbox.write_contexts", []).append(wctx)
        return wctx


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


def schema_of(ctx: Ctx, name: str) -> ObjectSchema:
    """The schema of the object named in the URL (case-insensitive), else 404."""
    schema = ctx.state.schemas.get(name) or next(
        (s for n, s in ctx.state.schemas.items() if n.lower() == name.lower()), None)
    if schema is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    return schema


def body_of(ctx: Ctx) -> dict:
    """The JSON object body of a single-record write."""
    body = read_json(ctx.request)
    if not isinstance(body, dict):
        raise ApiError.of(400, "JSON_PARSER_ERROR",
                          "Cannot deserialize instance of sObject from the request body: "
                          "expected a JSON object")
    return body


def raise_errors(outcome) -> None:
    """A 400 carrying the outcome's errors, if it has any."""
    if outcome.errors:
        raise ApiError(status=400, errors=outcome.errors)


def render(v: str, obj: str, record: dict, names: list[str]) -> dict:
    """A record as the sObject resources return it: attributes first, then fields."""
    out = {"attributes": {"type": obj, "url": f"/services/data/{v}/sobjects/{obj}/{record['Id']}"}}
    out.update({n: record.get(n) for n in names})
    return out
