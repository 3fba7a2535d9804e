"""The real client libraries, pointed at a running sandbox."""

from __future__ import annotations

import requests
from hubspot import HubSpot
from simple_salesforce import Salesforce
from urllib3.util.retry import Retry

from syncd_sandbox.runtime import Endpoints


def hubspot_client(endpoints: Endpoints) -> HubSpot:
    """hubspot-api-client with urllib3's own retries off, so every fault surfaces."""
    return HubSpot(access_token=endpoints.hubspot_token, host=endpoints.hubspot_url,
                   retry=Retry(total=0, respect_retry_after_header=False))


def salesforce_client(endpoints: Endpoints) -> Salesforce:
    """simple-salesforce logged in with client credentials over the sandbox's TLS."""
    session = requests.Session()
    session.verify = endpoints.ca_bundle
    session.trust_env = False
    host = endpoints.salesforce_url.removeprefix("https://")
    return Salesforce(consumer_key=endpoints.salesforce_client_id,
                      consumer_secret=endpoints.salesforce_client_secret,
                      domain=f"{host}/services/oauth2/token?", session=session)
