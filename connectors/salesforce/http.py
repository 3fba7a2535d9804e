"""The HTTP session every Salesforce call goes through: TLS trust, timeouts, accounting.

Call accounting sits in a response hook, so calls simple-salesforce makes on its own
(Bulk 2.0 polling, result downloads) are counted too.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import requests
from simple_salesforce import Salesforce

__all__ = ["CallMeter", "SalesforceHttp", "endpoint_name"]

_VERSION = re.compile(r"^v\d+\.\d+$")
_RECORD_ID = re.compile(r"^(?=.*\d)[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?$")
_LOCATOR = re.compile(r"^[0-9A-Za-z]{15,18}-\d+$")  # query cursor: next page of a query


def endpoint_name(method: str, url: str) -> str:
    """``"PATCH /services/data/vXX.X/composite/sobjects/Lead/HubSpot_Id__c"``-style names.

    Versions and record / job ids are replaced by placeholders so one endpoint is one name.
    """
    parts = []
    for segment in urlsplit(url).path.rstrip("/").split("/"):
        if _VERSION.match(segment):
            segment = "vXX.X"
        elif _RECORD_ID.match(segment):
            segment = "{id}"
        elif _LOCATOR.match(segment):
            segment = "{locator}"
        parts.append(segment)
    return f"{method.upper()} {'/'.join(parts) or '/'}"


class CallMeter:
    """Counts calls per endpoint and remembers the last ``Sforce-Limit-Info`` reading."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.used: int | None = None
        self.limit: int | None = None

    def hook(self, response: requests.Response, *args, **kwargs) -> None:
        self.calls[endpoint_name(response.request.method or "GET", response.url)] += 1
        info = response.headers.get("Sforce-Limit-Info")
        usage = Salesforce.parse_api_usage(info).get("api-usage") if info else None
        if usage is not None:
            self.used, self.limit = usage.used, usage.total

    @property
    def remaining(self) -> int | None:
        """Calls left in the org's daily allocation, as of the last response."""
        return None if self.limit is None else max(self.limit - (self.used or 0), 0)


class SalesforceHttp(requests.Session):
    """A session with a default timeout and a CA bundle that the environment cannot override.

    ``requests`` lets ``REQUESTS_CA_BUNDLE`` replace ``Session.verify`` unless ``verify`` is
    passed per request, so it is passed per request. Proxy variables still apply, which
    TLS-inspecting proxies need.
    """

    def __init__(self, *, timeout: float, ca_bundle: Path | None, meter: CallMeter) -> None:
        super().__init__()
        self.timeout = timeout
        self.verify = str(ca_bundle) if ca_bundle else True
        self.hooks["response"].append(meter.hook)

    def request(self, method, url, *args, **kwargs):  # noqa: D102 - adds defaults only
        kwargs.setdefault("timeout", self.timeout)
        if kwargs.get("verify") is None:
            kwargs["verify"] = self.verify
        return super().request(method, url, *args, **kwargs)
