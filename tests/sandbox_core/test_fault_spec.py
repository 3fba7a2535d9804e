"""The fault spec grammar and the admin JSON form of a fault plan."""

from __future__ import annotations

import pytest

from syncd_sandbox.faults import FaultPlan, FaultRule, FaultSpecError, parse_faults


def test_a_full_spec_parses_into_rules_seed_and_settings() -> None:
    plan = parse_faults("hubspot:POST /crm/v3/objects/contacts/search:status=429:rate=0.2; "
                        "salesforce:*:latency=50 ;seed=7;salesforce.lock_error_rate=0.1;"
                        "*:re:^GET /services/data/v\\d+\\.0/query:timeout=300:times=2:after=1;"
                        "hubspot.daily_limit=none;salesforce:*:expire_sessions:after=40:times=1")
    assert plan.seed == 7
    assert plan.rules == (
        FaultRule(system="hubspot", endpoint="POST /crm/v3/objects/contacts/search",
                  kind="status", status=429, rate=0.2),
        FaultRule(system="salesforce", endpoint="*", kind="latency", latency_ms=50),
        FaultRule(system="*", endpoint="re:^GET /services/data/v\\d+\\.0/query", kind="timeout",
                  latency_ms=300, times=2, after=1),
        FaultRule(system="salesforce", endpoint="*", kind="expire_sessions", after=40, times=1),
    )
    assert plan.settings == (("salesforce", "lock_error_rate", 0.1),
                             ("hubspot", "daily_limit", None))


@pytest.mark.parametrize(("spec", "message"), [
    ("hubspot:*:status=418", "status must be one of 429, 500, 502, 503, found 418"),
    ("hubspot:*:status=abc", 'status must be a whole number, found "abc"'),
    ("zendesk:*:latency=5", 'system must be hubspot, salesforce or *, found "zendesk"'),
    ("hubspot:*:status=500:rate=1.5", "rate must be a number from 0 to 1, found 1.5"),
    ("hubspot:*:status=500:rate=often", 'rate must be a number, found "often"'),
    ("hubspot:*:status=500:times=-1", "times must be a whole number >= 0, found -1"),
    ("hubspot:*:status=500:after=x", 'after must be a whole number, found "x"'),
    ("hubspot:*:latency=-5", "latency_ms (latency= in a spec) must be a whole number of ms"),
    ("hubspot:*:timeout=999999", "from 0 to 120000, found 999999"),
    ("hubspot:*", 'a rule is "SYSTEM:ENDPOINT:ACTION[:OPTION...]"'),
    ("hubspot:*:rate=0.5", 'a rule is "SYSTEM:ENDPOINT:ACTION[:OPTION...]"'),
    ("hubspot:*:status=500:latency=4", '"status=" and "latency=" are both actions'),
    ("hubspot:*:rate=0.1:rate=0.2:status=500", '"rate=" is given twice'),
    ("hubspot:GET:status=500", 'endpoint "GET" must look like "POST /crm/v3/objects/*"'),
    ("hubspot:re:(:status=500", "endpoint regex '(' is invalid"),
    ("seed=x", 'seed must be a whole number, found "x"'),
    ("hubspot:*:expire_sessions", "expire_sessions only applies to salesforce sessions"),
    ("salesforce:*:expire_sessions:timeout=5", '"expire_sessions=" and "timeout=" are both'),
    ("salesforce.colour=1", 'unknown salesforce setting "colour"; known: bulk_records_per_poll'),
    ("zendesk.daily_limit=1", 'settings system must be hubspot or salesforce, found "zendesk"'),
    ("salesforce.lock_error_rate=3", "salesforce.lock_error_rate must be from 0.0 to 1.0"),
    ("salesforce.daily_api_limit=none", "salesforce.daily_api_limit must be an integer"),
    ("hubspot.rate_limit_per_10s=0", '>= 1 (or "none" for unlimited), found \'0\''),
])
def test_each_mistake_is_named_with_its_item(spec: str, message: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_faults(f"seed=1;{spec}")
    assert f'faults item 2 "{spec}": ' in str(caught.value)
    assert message in str(caught.value)


def test_the_json_form_round_trips_and_accepts_a_spec() -> None:
    plan = parse_faults("salesforce:/services/data/*:status=503:times=3;seed=9;"
                        "hubspot.search_per_second=2")
    assert FaultPlan.from_dict(plan.to_dict()) == plan
    assert FaultPlan.from_dict({"spec": "seed=9"}) == FaultPlan(seed=9)


@pytest.mark.parametrize(("body", "message"), [
    ([], "body: must be a JSON object"),
    ({"rules": {}}, "rules: must be a list"),
    ({"rules": [{"kind": "status", "status": 503, "rate": "x"}]},
     "rules[0]: rate must be a number from 0 to 1, found 'x'"),
    ({"rules": [{"status": 503}]}, "rules[0].kind: is required"),
    ({"rules": [{"kind": "status", "status": 503, "colour": 1}]}, "rules[0].colour: unknown field"),
    ({"rules": [{"kind": "latency", "endpoint": ["/x"]}]}, 'rules[0]: endpoint must be "*"'),
    ({"rules": [{"kind": "status", "status": 500, "times": 1.5}]},
     "rules[0]: times must be a whole number >= 0, found 1.5"),
    ({"seed": "7"}, "seed: must be an integer"),
    ({"sed": 7}, 'sed: unknown key; expected "seed", "rules", "settings"'),
    ({"settings": {"hubspot": {"daily_limit": "lots"}}},
     "settings.hubspot.daily_limit: hubspot.daily_limit must be an integer, found 'lots'"),
    ({"spec": "hubspot:*:status=1"}, 'faults item 1 "hubspot:*:status=1": status must be one'),
])
def test_json_mistakes_name_the_json_path(body: object, message: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        FaultPlan.from_dict(body)
    assert message in str(caught.value)
