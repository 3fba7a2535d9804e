"""syncd: keeps HubSpot and Salesforce in agreement about who is ready to buy."""

__version__ = "0.1.0"
