"""Turn simple-salesforce and requests exceptions into syncd errors, via the table."""

from __future__ import annotations

import requests
from simple_salesforce.exceptions import (SalesforceError, SalesforceOperationError)

from syncd.errors import ConnectorError

from .errors import Verdict, classify, make_error

__all__ = ["first_error", "translate"]


def first_error(content: object) -> tuple[str | None, str]:
    """(code, message) of a Salesforce error body: a JSON array, an OAuth object, or text."""
    if isinstance(content, list) and content and isinstance(content[0], dict):
        item = content[0]
        return item.get("errorCode") or item.get("statusCode"), str(item.get("message", ""))
    if isinstance(content, dict):
        code = content.get("error") or content.get("errorCode")
        return code, str(content.get("error_description") or content.get("message") or "")
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    return None, str(content or "")[:300]


def _transport(exc: requests.RequestException) -> tuple[Verdict, str]:
    # SSLError and ConnectTimeout are ConnectionErrors too: test them first.
    if isinstance(exc, requests.exceptions.SSLError):
        return Verdict.UNREACHABLE, f"TLS verification failed: {exc}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Verdict.UNREACHABLE, f"connection timed out: {exc}"
    if isinstance(exc, requests.exceptions.Timeout):
        return Verdict.RETRY, f"no answer before the timeout: {exc}"
    if isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.InvalidURL)):
        return Verdict.UNREACHABLE, f"cannot connect: {exc}"
    return Verdict.RETRY, f"request failed: {exc}"


def translate(exc: BaseException, operation: str) -> tuple[Verdict, ConnectorError]:
    """The verdict and the syncd error for an exception raised while calling Salesforce."""
    if isinstance(exc, ConnectorError):
        return Verdict.FATAL, exc
    if isinstance(exc, SalesforceError):
        code, message = first_error(exc.content)
        verdict = classify(exc.status, code, message)
        status = exc.status
    elif isinstance(exc, requests.RequestException):
        (verdict, message), code, status = _transport(exc), None, None
    elif isinstance(exc, OSError):  # e.g. requests cannot read the ca_bundle file
        verdict, message, code, status = Verdict.UNREACHABLE, f"local I/O failed: {exc}", None, None
    elif isinstance(exc, SalesforceOperationError):
        verdict, message, code, status = Verdict.FATAL, str(exc), None, None
    elif isinstance(exc, ValueError):  # a body that is not JSON: a proxy page, not Salesforce
        verdict, message, code, status = Verdict.RETRY, f"unreadable response: {exc}", None, None
    else:
        raise exc
    return verdict, make_error(verdict, operation=operation, message=message, status=status,
                               code=code)
