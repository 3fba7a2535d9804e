"""Owner assignment, one table row per rule kind: who gets the lead, by which rule, and why."""

from __future__ import annotations

import pytest

from syncd.routing import reassign, route

from .helpers import directory, person, rules

# (id, rule changes, person, open active leads, expected rule, owner, words in the reason)
CASES = [
    ("keep an existing owner", {}, person(owner="005EVE", country="DE"), {},
     "keep_existing", "005EVE", ["kept the record's current owner"]),
    ("keep_existing off routes anyway", {"owner": {"keep_existing": False}},
     person(owner="005EVE", country="DE"), {}, "territory:DACH", "005ANNA", ["territory DACH"]),
    ("a queue-owned record is routed", {}, person(owner="00GEMEA", queue=True, country="DE"),
     {}, "territory:DACH", "005ANNA", ["the record was in a queue"]),
    ("an inactive owner is replaced", {}, person(owner="005GONE", country="DE"), {},
     "territory:DACH", "005ANNA", ["owner is not an active Salesforce user"]),
    ("the integration user counts as no owner", {}, person(owner="005API", country="DE"), {},
     "territory:DACH", "005ANNA", ["listed in ignore_owners"]),
    ("HubSpot owner by email, any case", {}, person(hubspot_owner="Cara@ACME.example",
                                                    country="DE"),
     {}, "hubspot_owner", "005CARA", ["HubSpot owner"]),
    ("hubspot_owner off", {"owner": {"hubspot_owner": False}},
     person(hubspot_owner="cara@acme.example", country="DE"), {}, "territory:DACH", "005ANNA",
     ["territory DACH"]),
    ("HubSpot owner without a Salesforce user", {},
     person(hubspot_owner="nobody@acme.example", country="AT"), {}, "territory:DACH", "005ANNA",
     ["HubSpot owner is not an active Salesforce user"]),
    ("territory by country name", {}, person(country="Germany"), {}, "territory:DACH",
     "005ANNA", ["territory DACH (country DE)", "round-robin rep 1 of 2"]),
    ("territory by lower-case code", {}, person(country="ch"), {}, "territory:DACH", "005ANNA",
     ["country CH"]),
    ("territory by state name", {}, person(country="United States", state="California"), {},
     "territory:California", "005CARA", ["country US, state CA"]),
    ("another state is not the territory", {}, person(country="US", state="NY"), {},
     "round_robin", "005DAN", ["default pool, round-robin rep 1 of 2"]),
    ("segment by industry, any case", {}, person(country="US", industry="banking"), {},
     "territory:Finance", "005DAN", ["industry Banking"]),
    ("segment by a band inside min..max", {}, person(numemployees="100-500"), {},
     "territory:Mid-market", "005EVE", ["numemployees 100-500"]),
    ("a band across the bounds is outside", {}, person(numemployees="500-5000"), {},
     "round_robin", "005DAN", ["default pool"]),
    ("unknown rep skipped with the reason", {}, person(numemployees="250"), {},
     "territory:Mid-market", "005EVE", ["rep 2 of 2", "rep 1 is not an active Salesforce user"]),
    ("queue assignee", {}, person(country="France"), {}, "territory:EMEA", "00GEMEA",
     ["territory EMEA (country FR), to its queue"]),
    ("a missing queue overflows to the next rule", {"territories": [
        {"name": "EMEA", "countries": ["FR"], "queue": "Paris Queue"},
        {"name": "Finance", "segment": [{"property": "industry", "values": ["Banking"]}],
         "users": ["dan@acme.example"]}]},
     person(country="FR", industry="Banking"), {}, "territory:Finance", "005DAN",
     ["territory EMEA (country FR): its queue does not exist"]),
    ("rep at cap is skipped", {}, person(country="DE"), {"005ANNA": 25}, "territory:DACH",
     "005BEN", ["rep 2 of 2", "rep 1 at cap 25"]),
    ("all at cap: overflow to the next territory", {},
     person(country="DE", industry="Banking"), {"005ANNA": 25, "005BEN": 30},
     "territory:Finance", "005DAN", ["no rep free (rep 1 at cap 25, rep 2 at cap 25)"]),
    ("all at cap, overflow fallback", {"territories": [
        {"name": "DACH", "countries": ["DE"], "users": ["anna@acme.example"],
         "cap_open_active": 1, "overflow": "fallback"}]},
     person(country="DE"), {"005ANNA": 1}, "fallback", "00GUNASSIGNED",
     ["fallback", "territory DACH overflows to fallback"]),
    ("all at cap, overflow to the pool", {"territories": [
        {"name": "DACH", "countries": ["DE"], "users": ["anna@acme.example"],
         "cap_open_active": 1, "overflow": "round_robin"},
        {"name": "Finance", "segment": [{"property": "industry", "values": ["Banking"]}],
         "users": ["cara@acme.example"]}]},
     person(country="DE", industry="Banking"), {"005ANNA": 1}, "round_robin", "005DAN",
     ["overflows to round_robin"]),
    ("pool capped too: fallback", {"round_robin": {"cap_open_active": 3}},
     person(country="ES"), {"005DAN": 3, "005EVE": 9}, "fallback", "00GUNASSIGNED",
     ["default pool: no rep free"]),
    ("no territory and no pool: fallback user", {"round_robin": {"users": []},
                                                 "owner": {"fallback": "user:boss@acme.example"}},
     person(country="JP"), {}, "fallback", "005BOSS", ["fallback"]),
    ("a catch-all territory takes everyone", {"territories": [
        {"name": "Everyone", "users": ["eve@acme.example"]}]},
     person(), {}, "territory:Everyone", "005EVE", ["territory Everyone, round-robin"]),
]


@pytest.mark.parametrize(("changes", "who", "load", "rule", "owner", "words"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_kinds(changes, who, load, rule, owner, words):
    (assignment,), _ = route(rules(**changes), [who], directory(open_active=load), {})
    assert (assignment.rule, assignment.owner_id) == (rule, owner), assignment.reason
    for word in words:
        assert word in assignment.reason
    assert "@" not in assignment.reason
    assert assignment.hubspot_id == who.hubspot_id


def test_owner_kind_says_user_or_queue():
    people = [person("1", country="FR"), person("2", country="DE")]
    kinds = [a.owner_kind for a in route(rules(), people, directory(), {})[0]]
    assert kinds == ["queue", "user"]


def test_a_fallback_the_directory_lacks_leaves_the_person_unassigned():
    people = [person("1", country="JP"), person("2", country="DE")]
    assignments, _ = route(rules(round_robin={"users": []}), people,
                           directory(queues={}), {})
    assert [a.hubspot_id for a in assignments] == ["2"]


def test_caps_count_assignments_made_earlier_in_the_same_call():
    people = [person(str(i), country="DE") for i in range(4)]
    assignments, _ = route(rules(), people, directory(open_active={"005ANNA": 24}), {})
    assert [a.owner_id for a in assignments] == ["005ANNA", "005BEN", "005BEN", "005BEN"]
    assert "rep 1 at cap 25" in assignments[2].reason


def test_keeping_an_owner_does_not_count_against_the_cap():
    people = [person("1", owner="005ANNA", country="DE"), person("2", country="DE")]
    assignments, _ = route(rules(), people, directory(open_active={"005ANNA": 24}), {})
    assert [a.owner_id for a in assignments] == ["005ANNA", "005ANNA"]


def test_the_hubspot_owner_counts_against_territory_caps():
    people = [person("1", hubspot_owner="anna@acme.example"), person("2", country="DE")]
    assignments, _ = route(rules(), people, directory(open_active={"005ANNA": 24}), {})
    assert [a.owner_id for a in assignments] == ["005ANNA", "005BEN"]


def test_positions_come_back_per_pool_and_unknown_pools_pass_through():
    people = [person("1", country="DE"), person("2", country="ES")]
    _, positions = route(rules(), people, directory(), {"territory:Gone": 7})
    assert positions == {"territory:Gone": 7, "territory:DACH": 1, "round_robin": 1}


def test_the_input_positions_are_not_changed():
    given = {"territory:DACH": 1}
    route(rules(), [person(country="DE")], directory(), given)
    assert given == {"territory:DACH": 1}


def test_reassign_never_hands_the_lead_back_to_its_owner():
    late = person("1", owner="005ANNA", country="DE", hubspot_owner="anna@acme.example")
    (assignment,), positions = reassign(rules(), [late], directory(), {"territory:DACH": 0})
    assert assignment.owner_id == "005BEN"
    assert assignment.reason.startswith("SLA escalation, territory DACH")
    assert "rep 1 already had the lead" in assignment.reason
    assert positions["territory:DACH"] == 0


def test_reassign_with_nobody_else_in_the_territory_overflows():
    late = person("1", owner="005CARA", country="US", state="CA")
    (assignment,), _ = reassign(rules(), [late], directory(), {})
    assert (assignment.rule, assignment.owner_id) == ("round_robin", "005DAN")
