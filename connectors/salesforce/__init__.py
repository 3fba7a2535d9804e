"""The Salesforce connector: ``SalesforceGateway`` (a ``syncd.ports.CrmGateway``).

    from connectors.salesforce import SalesforceClientSettings, SalesforceGateway

    gateway = SalesforceGateway(SalesforceClientSettings(
        login_url="https://login.salesforce.com", auth="client_credentials",
        client_id=..., client_secret=..., ca_bundle=None))
    records = gateway.find_by_emails(["ada@example.com"])
    results = gateway.upsert("Lead", "HubSpot_Id__c", [{"HubSpot_Id__c": "1001", ...}])

Every failure reaches callers as a ``syncd.errors.ConnectorError`` kind; per-row failures
are ``WriteResult`` values, retriable ones carrying a code in ``ROW_RETRIABLE``.
"""

from __future__ import annotations

from .errors import ROW_REJECTED, ROW_RETRIABLE, Verdict, classify
from .gateway import DEFAULT_FIELDS, SalesforceGateway
from .settings import SalesforceClientSettings

__all__ = ["DEFAULT_FIELDS", "ROW_REJECTED", "ROW_RETRIABLE", "SalesforceClientSettings",
           "SalesforceGateway", "Verdict", "classify"]
