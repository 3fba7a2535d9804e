"""The WSGI application: authentication, rate limits, routing and error rendering."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.wrappers import Request

from .errors import ApiError
from .http import Ctx, json_response
from .ratelimit import RateLimiter
from .routes import SEARCH_LABELS, build_routes
from .settings import HubSpotSettings
from .state import HubSpotState

__all__ = ["create_app", "HubSpotApp"]

_AUTH_MESSAGE = ("Authentication credentials not found. This API supports OAuth 2.0 "
                 "authentication and you can find more details at "
                 "https://developers.hubspot.com/docs/methods/auth/oauth-overview")


class HubSpotApp:
    """A WSGI app serving one portal's state; settings are read on every request."""

    def __init__(self, state: HubSpotState, settings: HubSpotSettings):
        self.state, self.settings = state, settings
        self.limiter = RateLimiter(settings, state.now)
        self.map, self.handlers = build_routes()

    def __call__(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        environ["sandbox.system"] = "hubspot"
        environ["sandbox.endpoint"] = f"{request.method} (unmatched)"
        headers: dict[str, str] = {}
        try:
            label, args = self._match(request)
            environ["sandbox.endpoint"] = label
            token = self._authenticate(request)
            headers = self.limiter.admit(token, search=label in SEARCH_LABELS)
            response = self.handlers[label](Ctx(request, self.state, self.settings), **args)
        except ApiError as exc:
            response = json_response(exc.body, exc.status)
            headers = {**headers, **exc.headers}
        except Exception as exc:  # noqa: BLE001 - an emulator bug must still look like HubSpot
            error = ApiError.of(500, "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}")
            response = json_response(error.body, 500)
        for name, value in headers.items():
            response.headers[name] = value
        return response(environ, start_response)

    def _match(self, request: Request) -> tuple[str, dict]:
        adapter = self.map.bind_to_environ(request.environ)
        path = request.path.rstrip("/") or "/"  # the SDK adds a trailing slash to some paths
        try:
            return adapter.match(path, method=request.method)
        except MethodNotAllowed:
            raise ApiError.of(405, "VALIDATION_ERROR",
                              f"{request.method} is not allowed on {request.path}") from None
        except NotFound:
            raise ApiError.of(404, "OBJECT_NOT_FOUND",
                              f"No route for {request.method} {request.path}") from None

    def _authenticate(self, request: Request) -> str:
        auth = request.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or token != self.settings.token:
            raise ApiError.of(401, "INVALID_AUTHENTICATION", _AUTH_MESSAGE)
        return token


def create_app(state: HubSpotState, settings: HubSpotSettings) -> HubSpotApp:
    """Build the WSGI application emulating HubSpot for ``state``."""
    return HubSpotApp(state, settings)
