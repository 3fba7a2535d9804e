"""The HubSpot connector: a complete, frugal, incremental pull of contacts and engagement.

    connector = HubSpotConnector(HubSpotClientSettings(base_url=url, token=token))
    for batch in connector.pull(cursors, properties=["email", "lifecyclestage"], now=now):
        store.save_pull_batch(batch)   # batch.cursors become valid once this is durable
"""

from .connector import HubSpotConnector
from .settings import HubSpotClientSettings

__all__ = ["HubSpotClientSettings", "HubSpotConnector"]
