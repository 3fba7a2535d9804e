from __future__ import annotations

import pytest

from syncd.reconcile.rules import MatchingRules

from .world_data import world_data


@pytest.fixture(scope="session")
def labelled():
    return world_data()


@pytest.fixture(scope="session")
def rules() -> MatchingRules:
    return MatchingRules.model_validate({"fields": {
        "email": "email", "first_name": "first_name", "last_name": "last_name", "phone": "phone",
        "company": "company"}})
