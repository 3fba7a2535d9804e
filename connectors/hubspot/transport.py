"""The thin shell around hubspot-api-client: one method per endpoint syncd reads, each
budgeted, retried once in one place, classified, and returning plain JSON dicts."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import requests
from hubspot import HubSpot
from hubspot.utils.requests.http_request_builder import Request
from urllib3.util.retry import Retry

from syncd.jsontext import json_loads as loads

from .budget import ApiBudget
from .errors import classify, classify_status
from .retry import call_with_retries
from .settings import HubSpotClientSettings

__all__ = ["HubSpotApi"]

ENGAGEMENT_TYPES = ("emails", "calls", "meetings", "notes")


class HubSpotApi:
    """Calls HubSpot for the connector; ``budget.calls`` counts calls by endpoint label."""

    def __init__(self, settings: HubSpotClientSettings, *, budget: ApiBudget | None = None,
                 sleep: Callable[[float], None] = time.sleep, client: Any = None) -> None:
        self.settings, self.sleep = settings, sleep
        self.budget = budget or ApiBudget(per_10s=settings.rate_limit_per_10s,
                                          search_per_second=settings.search_per_second,
                                          daily_limit=settings.daily_limit,
                                          share=settings.daily_budget_share, sleep=sleep)
        # urllib3 retries off: tenacity is the only retry layer.
        self.client = client or HubSpot(access_token=settings.token, host=settings.base_url,
                                        base_url=settings.base_url, retry=Retry(0, read=False))
        self._session = requests.Session()
        self._timeout = (settings.connect_timeout, settings.read_timeout)
        crm = self.client.crm  # each attribute access builds a new API client: keep them
        self._search = {"contacts": crm.contacts.search_api,
                        **{t: getattr(crm.objects, t).search_api for t in ENGAGEMENT_TYPES}}
        self._contacts_batch, self._contacts_basic = crm.contacts.batch_api, crm.contacts.basic_api
        self._assoc = crm.associations.v4.batch_api
        self._events, self._forms = self.client.events.events_api, self.client.marketing.forms.forms_api

    # -- plumbing ------------------------------------------------------------------------
    def _call(self, endpoint: str, fn: Callable[[], Any], *, search: bool = False) -> dict:
        def attempt() -> dict:
            cell = self.budget.acquire(endpoint, search=search)
            try:
                response = fn()
            except Exception as exc:  # noqa: BLE001 - every SDK failure is classified here
                raise classify(exc, operation=endpoint) from None
            finally:
                self.budget.answered(cell)
            headers = dict(response.headers)
            self.budget.observe(headers)
            status = getattr(response, "status", None) or getattr(response, "status_code", 200)
            raw = response.data if hasattr(response, "data") else response.content
            if not 200 <= status <= 299:
                raise classify_status(status, raw, headers, operation=endpoint)
            try:
                return loads(raw) if raw else {}
            except ValueError as exc:
                raise classify_status(502, b"", headers, operation=endpoint) from exc
        return call_with_retries(attempt, attempts=self.settings.max_attempts, sleep=self.sleep)

    def _v1(self, path: str, qs: Mapping[str, Any]) -> Callable[[], Any]:
        """A request for endpoints the SDK does not wrap, built by the SDK's own builder
        (auth, base URL) and sent with our timeout on a kept-alive session."""
        def send() -> requests.Response:
            req = Request(self.client.config, {"method": "GET", "path": path, "qs": dict(qs)})
            return self._session.request(req.get_method(), req.get_url(), timeout=self._timeout,
                                         **req.get_options_for_sending())
        return send

    # -- endpoints -----------------------------------------------------------------------
    def search(self, object_type: str, body: Mapping[str, Any]) -> dict:
        """POST /crm/v3/objects/{type}/search with a camelCase body."""
        api = self._search[object_type]
        return self._call(f"POST /crm/v3/objects/{object_type}/search",
                          lambda: api.do_search(public_object_search_request=dict(body),
                                                _preload_content=False,
                                                _request_timeout=self._timeout), search=True)

    def read_contacts(self, ids: Sequence[str], properties: Sequence[str], *,
                      id_property: str | None = None) -> dict:
        """POST /crm/v3/objects/contacts/batch/read (≤ 100 ids; merged ids resolve)."""
        body: dict[str, Any] = {"inputs": [{"id": i} for i in ids], "properties": list(properties),
                                "propertiesWithHistory": []}
        if id_property:
            body["idProperty"] = id_property
        return self._call("POST /crm/v3/objects/contacts/batch/read", lambda: self._contacts_batch.read(
            batch_read_input_simple_public_object_id=body, archived=False,
            _preload_content=False, _request_timeout=self._timeout))

    def archived_contacts(self, after: str | None) -> dict:
        """GET /crm/v3/objects/contacts?archived=true, one page of 100."""
        return self._call("GET /crm/v3/objects/contacts", lambda: self._contacts_basic.get_page(
            limit=100, after=after, archived=True, properties=["email"],
            _preload_content=False, _request_timeout=self._timeout))

    def list_contacts(self, after: str | None, properties: Sequence[str]) -> dict:
        """GET /crm/v3/objects/contacts (live ones, by id), one page of 100."""
        return self._call("GET /crm/v3/objects/contacts", lambda: self._contacts_basic.get_page(
            limit=100, after=after, archived=False, properties=list(properties),
            _preload_content=False, _request_timeout=self._timeout))

    def associations(self, from_type: str, to_type: str, ids: Sequence[str]) -> dict:
        """POST /crm/v4/associations/{from}/{to}/batch/read."""
        body = {"inputs": [{"id": i} for i in ids]}
        return self._call(f"POST /crm/v4/associations/{from_type}/{to_type}/batch/read",
                          lambda: self._assoc.get_page(
                              from_type, to_type, batch_input_public_fetch_associations_batch_request=body,
                              _preload_content=False, _request_timeout=self._timeout))

    def events(self, *, occurred_after: datetime | None, after: str | None, limit: int,
               occurred_before: datetime | None = None, object_id: str | None = None) -> dict:
        """GET /events/v3/events of contacts, oldest first (both bounds exclusive)."""
        kw = {k: v for k, v in {"occurred_after": occurred_after, "occurred_before": occurred_before,
                                "after": after, "object_id": object_id}.items() if v is not None}
        return self._call("GET /events/v3/events", lambda: self._events.get_page(
            object_type="contact", limit=limit, sort=["occurredAt"], **kw,
            _preload_content=False, _request_timeout=self._timeout))

    def email_events(self, qs: Mapping[str, Any]) -> dict:
        """GET /email/public/v1/events (newest first, offset paging)."""
        return self._call("GET /email/public/v1/events", self._v1("/email/public/v1/events", qs))

    def forms(self, after: str | None) -> dict:
        """GET /marketing/v3/forms, one page."""
        kw = {"after": after} if after else {}
        return self._call("GET /marketing/v3/forms", lambda: self._forms.get_page(
            limit=100, archived=False, **kw, _preload_content=False, _request_timeout=self._timeout))

    def contact_property(self, name: str) -> dict:
        """GET /crm/v3/properties/contacts/{propertyName} (definition and options)."""
        return self._call("GET /crm/v3/properties/contacts/{propertyName}",
                          lambda: self.client.crm.properties.core_api.get_by_name(
                              "contacts", name, archived=False, _preload_content=False,
                              _request_timeout=self._timeout))

    def contact_properties(self) -> dict:
        """GET /crm/v3/properties/contacts (every definition, unpaged)."""
        return self._call("GET /crm/v3/properties/contacts",
                          lambda: self.client.crm.properties.core_api.get_all(
                              "contacts", archived=False, _preload_content=False,
                              _request_timeout=self._timeout))

    def form_submissions(self, form_id: str, after: str | None, limit: int) -> dict:
        """GET /form-integrations/v1/submissions/forms/{guid} (newest first)."""
        qs = {"limit": limit, **({"after": after} if after else {})}
        return self._call("GET /form-integrations/v1/submissions/forms/{formGuid}",
                          self._v1(f"/form-integrations/v1/submissions/forms/{form_id}", qs))

    # -- writes --------------------------------------------------------------------------
    def batch_update_contacts(self, inputs: Sequence[Mapping[str, Any]]) -> dict:
        """POST /crm/v3/objects/contacts/batch/update (≤ 100; 207 carries per-record errors)."""
        body = {"inputs": [dict(i) for i in inputs]}
        return self._call("POST /crm/v3/objects/contacts/batch/update", lambda: self._contacts_batch.update(
            batch_input_simple_public_object_batch_input=body, _preload_content=False,
            _request_timeout=self._timeout))

    def batch_create_contacts(self, inputs: Sequence[Mapping[str, Any]]) -> dict:
        """POST /crm/v3/objects/contacts/batch/create (≤ 100; 207 carries per-record errors)."""
        body = {"inputs": [{"associations": [], **dict(i)} for i in inputs]}
        return self._call("POST /crm/v3/objects/contacts/batch/create", lambda: self._contacts_batch.create(
            batch_input_simple_public_object_batch_input_for_create=body, _preload_content=False,
            _request_timeout=self._timeout))

    def owners(self, after: str | None) -> dict:
        """GET /crm/v3/owners/, one page of 500."""
        kw = {"after": after} if after else {}
        return self._call("GET /crm/v3/owners/", lambda: self.client.crm.owners.owners_api.get_page(
            limit=500, archived=False, **kw, _preload_content=False, _request_timeout=self._timeout))
