"""The WSGI application: routing, authentication, API accounting, error rendering."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.wrappers import Request, Response

from . import auth, bulk, bulk_query, composite, composite_batch, composite_ids, composite_request, rest
from .errors import ApiError
from .http import Ctx, json_response
from .router import Router
from .settings import SalesforceSettings
from .state import SalesforceState

__all__ = ["create_app"]

_SESSION_INVALID = ApiError.of(401, "INVALID_SESSION_ID", "Session expired or invalid")


def _router() -> Router:
    router = Router()
    for module in (auth, rest, composite, composite_batch, composite_ids, composite_request, bulk, bulk_query):
        for method, template, handler in module.ROUTES:
            router.add(method, template, handler)
    return router


def _check_session(ctx: Ctx) -> None:
    header = ctx.request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("bearer", "oauth") or not token:
        raise _SESSION_INVALID
    state = ctx.state
    issued = state.sessions.get(token.strip())
    if issued is None:
        raise _SESSION_INVALID
    if state.clock() - issued >= timedelta(seconds=ctx.settings.session_ttl_seconds):
        state.sessions.pop(token.strip(), None)
        raise _SESSION_INVALID


def _count_call(ctx: Ctx) -> None:
    state = ctx.state
    today = state.clock().date()
    if state.api_day != today:  # the allocation restarts each (UTC) day
        state.api_day, state.api_calls_today = today, 0
    if state.api_calls_today >= ctx.settings.daily_api_limit:
        raise ApiError.of(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    state.api_calls_today += 1


def _handle(router: Router, ctx: Ctx, *, checked: bool) -> Response:
    """Route one request to its handler and render any error as Salesforce does; with
    ``checked`` the session is checked and the call counted first (the Composite resource
    dispatches its subrequests without: the composite call is the one that counts)."""
    req = ctx.request
    path = req.path.rstrip("/") or "/"
    route, params, known = router.match(req.method, path)
    if route is not None:  # unknown routes are counted by path by the accounting
        req.environ["sandbox.endpoint"] = f"{req.method} {route.template}"
    try:
        if checked and path.startswith("/services/data/"):
            with ctx.state.lock:
                _check_session(ctx)
                if route is not None:
                    _count_call(ctx)
        if route is None:
            raise ApiError.of(405 if known else 404,
                              "METHOD_NOT_ALLOWED" if known else "NOT_FOUND",
                              f"HTTP Method '{req.method}' not allowed" if known
                              else "The requested resource does not exist")
        return route.handler(ctx, **params)
    except ApiError as err:
        return json_response(err.body(), err.status)
    except Exception as exc:  # noqa: BLE001 - an emulator bug must still look like Salesforce
        return json_response([{"errorCode": "UNKNOWN_EXCEPTION",
                               "message": f"{type(exc).__name__}: {exc}"}], 500)


def create_app(state: SalesforceState, settings: SalesforceSettings):
    """A WSGI application serving ``state`` as the Salesforce REST, Bulk 2.0 and login APIs."""
    router = _router()

    def serve(ctx: Ctx, environ: dict) -> Response:
        environ["sandbox.dispatch"] = lambda sub: _handle(router, sub, checked=False)
        response = _handle(router, ctx, checked=True)
        if (ctx.request.path or "").startswith("/services/data/"):
            response.headers["Sforce-Limit-Info"] = (
                f"api-usage={state.api_calls_today}/{settings.daily_api_limit}")
        return response

    def app(environ, start_response):
        environ["sandbox.system"] = "salesforce"
        ctx = Ctx(state=state, settings=settings, request=Request(environ))
        return serve(ctx, environ)(environ, start_response)

    return app
