"""Local emulators of the HubSpot and Salesforce APIs, with a seeded world."""
