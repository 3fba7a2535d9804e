"""``syncd report``: sync health and the funnel, read from the state store only."""
