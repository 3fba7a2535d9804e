"""check_routing: every user or queue routing.toml names that Salesforce lacks."""

from __future__ import annotations

import random

from syncd.routing import check_routing, load_routing, resolve_assignee

from .helpers import ROUTING, USERS, directory, rules


def test_names_every_missing_user_and_queue_with_its_key():
    rule_set = rules(owner={"fallback": "queue:Nowhere"},
                     sla={"escalation": "manager_task", "manager": "user:chief@acme.example"})
    users = {k: v for k, v in USERS.items() if k != "ben@acme.example"}
    issues = check_routing(rule_set, directory(users=users, queues={}))
    found = {(i.path, i.found) for i in issues}
    assert found == {("owner.fallback", "'Nowhere'"),
                     ("territories[0].users[1]", "'ben@acme.example'"),
                     ("territories[3].users[0]", "'gone@acme.example'"),
                     ("territories[4].queue", "'EMEA Queue'"),
                     ("sla.manager", "'chief@acme.example'")}
    assert all(i.file == "test-routing.toml" for i in issues)
    assert all(i.hint for i in issues)


def test_a_complete_directory_gives_no_issue():
    rule_set = rules(territories=[{"name": "DACH", "countries": ["DE"],
                                   "users": ["anna@acme.example"]}])
    assert check_routing(rule_set, directory()) == []


def test_the_shipped_file_against_the_sandbox_org_users():
    from syncd_sandbox.world.salesforce_seed import OrgBuilder

    org = OrgBuilder(random.Random(1), now_ms=0, companies=[])
    users = {u["Email"].lower(): u["Id"] for u in org.users if u["IsActive"]}
    rule_set = load_routing(ROUTING)
    assert check_routing(rule_set, directory(users=users, queues={})) == []


def test_resolve_assignee():
    assert resolve_assignee("user:anna@acme.example", directory()) == ("user", "005ANNA")
    assert resolve_assignee("queue:EMEA Queue", directory()) == ("queue", "00GEMEA")
    assert resolve_assignee("queue:Nowhere", directory()) is None
