"""A logged-in simple-salesforce client behind one ``call`` that classifies every failure.

simple-salesforce is built from an explicit session id, so it never refreshes on its own
(its refresh can recurse forever on a persistent 401). ``call`` renews the session itself
on INVALID_SESSION_ID, once, and raises ``AuthError`` if the fresh session is refused too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import structlog
from simple_salesforce import Salesforce

from syncd.errors import AuthError

from .errors import Verdict, make_error
from .http import CallMeter, SalesforceHttp
from .login import Session, login
from .retry import RetryPolicy, retry_call
from .settings import SalesforceClientSettings
from .translate import translate

__all__ = ["Connection"]

T = TypeVar("T")
log = structlog.get_logger("syncd.salesforce")


class Connection:
    """Lazily logs in; ``call(operation, fn)`` runs ``fn(sf)`` with re-auth and retries."""

    def __init__(self, settings: SalesforceClientSettings, *, policy: RetryPolicy,
                 meter: CallMeter | None = None) -> None:
        self.settings = settings
        self.policy = policy
        self.meter = meter or CallMeter()
        self.http = SalesforceHttp(timeout=settings.timeout, ca_bundle=settings.ca_bundle,
                                   meter=self.meter)
        self._sf: Salesforce | None = None
        self.logins = 0

    def _login(self) -> Salesforce:
        session: Session = login(self.http, self.settings)
        self.logins += 1
        log.info("salesforce.login", auth=self.settings.auth, instance=session.instance_url)
        self._sf = Salesforce(instance_url=session.instance_url, session_id=session.session_id,
                              session=self.http, version=self.settings.api_version)
        return self._sf

    def client(self) -> Salesforce:
        """The simple-salesforce client, logging in first if needed."""
        return self._sf or self._login()

    def call(self, operation: str, fn: Callable[[Salesforce], T]) -> T:
        """``fn(sf)`` with failures classified, a session renewed once, short retries."""
        return retry_call(self.policy, operation, lambda: self._once(operation, fn))

    def _once(self, operation: str, fn: Callable[[Salesforce], T]) -> T:
        sf = self._guard(operation, self.client)
        try:
            return fn(sf)
        except Exception as exc:  # noqa: BLE001 - every SDK failure is classified here
            verdict, error = translate(exc, operation)
            if verdict is not Verdict.REAUTH:
                raise error from None
        if self.settings.auth == "session":
            raise make_error(Verdict.AUTH, operation=operation, code="INVALID_SESSION_ID",
                             message="the configured session has expired; auth='session' "
                                     "cannot renew it") from None
        log.info("salesforce.reauth", operation=operation)
        sf = self._guard(operation, self._login)
        try:
            return fn(sf)
        except Exception as exc:  # noqa: BLE001
            verdict, error = translate(exc, operation)
            if verdict is Verdict.REAUTH:
                raise AuthError(f"Salesforce {operation} failed: the session was refused "
                                f"again right after a fresh login ({error})",
                                system="salesforce", operation=operation, status=401,
                                code="INVALID_SESSION_ID") from None
            raise error from None

    @staticmethod
    def _guard(operation: str, make: Callable[[], Salesforce]) -> Salesforce:
        try:
            return make()
        except Exception as exc:  # noqa: BLE001 - syncd errors pass through unchanged
            raise translate(exc, operation)[1] from None
