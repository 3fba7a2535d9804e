"""Request parsing and JSON responses shared by the endpoint handlers."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Request, Response

from .errors import ApiError

__all__ = ["Ctx", "json_response"]


def json_response(body: Any, status: int = 200) -> Response:
    """A JSON response (``None`` body → empty 204-style response)."""
    if body is None:
        return Response(status=status)
    return Response(json.dumps(body, separators=(",", ":")), status=status,
                    content_type="application/json;charset=utf-8")


class Ctx:
    """One request as the handlers see it: state, settings and typed parameter access."""

    def __init__(self, request: Request, state: Any, settings: Any):
        self.request, self.state, self.settings = request, state, settings

    def list_param(self, name: str) -> list[str] | None:
        """A multi-valued query parameter; repeated and comma-separated forms both work."""
        raw = self.request.args.getlist(name)
        if not raw:
            return None
        return [p.strip() for v in raw for p in v.split(",") if p.strip()]

    def str_param(self, name: str, default: str | None = None) -> str | None:
        """A single query parameter."""
        return self.request.args.get(name, default)

    def int_param(self, name: str, default: int | None, *, low: int = 0,
                  high: int | None = None) -> int | None:
        """An integer query parameter within [low, high], or 400 naming it."""
        raw = self.request.args.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ApiError.validation(f"{name}: {raw!r} is not an integer", field=name) from None
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise ApiError.validation(f"{name}: must be {bound}, got {value}", field=name)
        return value

    def cursor(self, name: str) -> int:
        """An offset cursor (``after``/``offset``) this emulator handed out, or 400."""
        raw = self.request.args.get(name) or "0"
        if not raw.isdigit():
            raise ApiError.validation(f"{name}: {raw!r} is not a cursor returned by this API",
                                      field=name)
        return int(raw)

    def bool_param(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter; the SDK sends ``True``/``False``."""
        raw = self.request.args.get(name)
        if raw is None or raw == "":
            return default
        if raw.lower() not in {"true", "false"}:
            raise ApiError.validation(f"{name}: {raw!r} is not true or false", field=name)
        return raw.lower() == "true"

    def body(self) -> Any:
        """The JSON body, or 400 saying where it is malformed."""
        data = self.request.get_data(cache=True)
        if not data:
            raise ApiError.validation("A JSON request body is required", field="body")
        try:
            return json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError.validation(f"Invalid input JSON: {exc}", field="body") from None

    def names(self, body: dict, key: str) -> list[str] | None:
        """``body[key]`` as a list of property names (absent or null: None), else 400."""
        value = body.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ApiError.validation(f"{key}: must be a list of property names (strings)",
                                      field=key)
        return value

    def text(self, body: dict, key: str) -> str | None:
        """``body[key]`` as a string (absent or null: None), else 400 naming it."""
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise ApiError.validation(f"{key}: must be a string", field=key)
        return value

    def inputs(self, body: Any, *, max_inputs: int = 100) -> list[dict]:
        """The ``inputs`` list of a batch body: 1..max_inputs objects, else 400."""
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
            raise ApiError.validation("inputs: a list of objects is required", field="inputs")
        if len(inputs) > max_inputs:
            raise ApiError.validation(
                f"inputs: at most {max_inputs} inputs per batch request, got {len(inputs)}",
                field="inputs")
        return inputs
