"""End to end against the Salesforce emulator over TLS, through the real simple-salesforce."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.salesforce import SalesforceClientSettings, SalesforceGateway
from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app
from syncd_sandbox.server import LocalCA, serve
from syncd.errors import AuthError, BudgetExhausted, UnreachableError

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OWNER = "0055e000001AAAAAAA"
SEEDED = "2026-01-01T00:00:00.000Z"


def _lead(n: int, email: str, **extra) -> dict:
    return {"Id": f"00Q5e00000000{n:02d}AAA", "FirstName": f"First{n}", "LastName": f"Last{n}",
            "Email": email, "Company": f"Company {n}", "Status": "Open - Not Contacted",
            "OwnerId": OWNER, "HubSpot_Id__c": str(1000 + n), "CreatedDate": SEEDED,
            "LastModifiedDate": SEEDED, **extra}


SEED = {
    "org_id": "00D5e000000AbCdEAK",
    "users": [{"Id": OWNER, "Username": "olive@sandbox.example", "Email": "olive@x.example",
               "FirstName": "Olive", "LastName": "Owner", "IsActive": True}],
    "accounts": [{"Id": "0015e0000000001AAA", "Name": "Analytical Engines", "OwnerId": OWNER}],
    "leads": [_lead(1, "Ada.Lovelace@Example.com"), _lead(2, "bo@example.org"),
              _lead(3, "grace@example.com", IsConverted=True,
                    ConvertedContactId="0035e0000000001AAA",
                    ConvertedAccountId="0015e0000000001AAA", ConvertedDate="2026-02-01",
                    Status="Closed - Converted")],
    "contacts": [{"Id": "0035e0000000001AAA", "FirstName": "Grace", "LastName": "Hopper",
                  "Email": "GRACE@example.com", "AccountId": "0015e0000000001AAA",
                  "OwnerId": OWNER, "HubSpot_Id__c": "2001", "CreatedDate": SEEDED,
                  "LastModifiedDate": SEEDED}],
}


class Clock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> LocalCA:
    return LocalCA(tmp_path_factory.mktemp("sf-ca"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def org(ca, clock):
    state = SalesforceState.from_seed(SEED, clock=clock)
    knobs = SalesforceSettings()
    served = serve(create_app(state, knobs), tls=ca)
    yield state, knobs, served
    served.shutdown()


@pytest.fixture(autouse=True)
def no_bulk_polling_wait(monkeypatch):
    """simple-salesforce sleeps between Bulk 2.0 polls; the emulator needs no wait."""
    monkeypatch.setattr("simple_salesforce.bulk2.sleep", lambda seconds: None)


def _settings(org, ca, **overrides) -> SalesforceClientSettings:
    _state, knobs, served = org
    values = dict(login_url=served.url, auth="client_credentials", client_id=knobs.client_id,
                  client_secret=knobs.client_secret, ca_bundle=ca.ca_file, bulk_poll_seconds=0,
                  timeout=5)
    return SalesforceClientSettings(**{**values, **overrides})


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def gateway(org, ca, sleeps) -> SalesforceGateway:
    return SalesforceGateway(_settings(org, ca), sleep=sleeps.append)


def test_finds_unconverted_leads_and_contacts_whatever_the_case(gateway):
    found = gateway.find_by_emails(["ada.lovelace@EXAMPLE.com", "Grace@Example.COM",
                                    "nobody@example.net"])
    assert sorted((r.object, r.id) for r in found) == [
        ("Contact", "0035e0000000001AAA"), ("Lead", "00Q5e0000000001AAA")]
    lead = next(r for r in found if r.object == "Lead")
    assert lead.fields["Email"] == "Ada.Lovelace@Example.com"
    assert lead.fields["HubSpot_Id__c"] == "1001" and lead.fields["IsConverted"] is False
    assert gateway.connection.logins == 1


def test_upsert_creates_updates_and_rejects_row_by_row(gateway, org):
    state = org[0]
    rows = [
        {"HubSpot_Id__c": "1001", "Lead_Score__c": 72, "Buying_Intent__c": "active"},
        {"HubSpot_Id__c": "3001", "LastName": "Turing", "Company": "Bletchley",
         "Email": "alan@bletchley.example", "Lifecycle_Stage__c": "MQL"},
        {"HubSpot_Id__c": "3002", "LastName": "Nobody", "Company": "X",
         "Buying_Intent__c": "eager"},
        {"HubSpot_Id__c": "3003", "Company": "No Name Ltd"},
        {"HubSpot_Id__c": "1003", "Lead_Score__c": 10},
    ]
    results = gateway.upsert("Lead", "HubSpot_Id__c", rows)
    assert [(r.key, r.ok, r.created, r.error_code) for r in results] == [
        ("1001", True, False, None), ("3001", True, True, None),
        ("3002", False, False, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"),
        ("3003", False, False, "REQUIRED_FIELD_MISSING"),
        ("1003", False, False, "CANNOT_UPDATE_CONVERTED_LEAD")]
    assert state.get("Lead", "00Q5e0000000001AAA")["Lead_Score__c"] == 72
    created = state.get("Lead", results[1].id)
    assert created["Email"] == "alan@bletchley.example"


def test_bulk_upsert_reports_failed_rows_individually(org, ca, sleeps):
    state = org[0]
    gateway = SalesforceGateway(_settings(org, ca, bulk_threshold=5), sleep=sleeps.append)
    rows = [{"HubSpot_Id__c": str(4000 + i), "LastName": f"Bulk{i}", "Company": "Bulk Co",
             "Email": f"bulk{i}@bulk.example"} for i in range(6)]
    rows[2]["Buying_Intent__c"] = "eager"
    rows[4] = {"HubSpot_Id__c": "4004", "Company": "No Name"}
    rows.append({"HubSpot_Id__c": "1002", "Lead_Score__c": 33, "Title": None})
    results = gateway.upsert("Lead", "HubSpot_Id__c", rows)
    assert [r.key for r in results] == [r["HubSpot_Id__c"] for r in rows]
    assert [(r.ok, r.created, r.error_code) for r in results] == [
        (True, True, None), (True, True, None),
        (False, False, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"), (True, True, None),
        (False, False, "REQUIRED_FIELD_MISSING"), (True, True, None), (True, False, None)]
    assert state.get("Lead", "00Q5e0000000002AAA")["Lead_Score__c"] == 33
    calls = gateway.usage().calls
    assert calls["POST /services/data/vXX.X/jobs/ingest"] == 1
    assert calls["GET /services/data/vXX.X/jobs/ingest/{id}/failedResults"] == 1
    assert not any("composite" in name for name in calls)


def test_an_expired_session_is_recovered_by_one_new_login(gateway, org, clock):
    _state, knobs, _served = org
    assert gateway.users()[0]["Id"] == OWNER
    clock.at += timedelta(seconds=knobs.session_ttl_seconds + 1)
    assert [s["ApiName"] for s in gateway.lead_statuses()][0] == "Open - Not Contacted"
    assert gateway.connection.logins == 2
    assert gateway.usage().calls["POST /services/oauth2/token"] == 2


def test_a_wrong_secret_is_an_auth_error_saying_what_to_check(org, ca, sleeps):
    gateway = SalesforceGateway(_settings(org, ca, client_secret="wrong"), sleep=sleeps.append)
    with pytest.raises(AuthError) as caught:
        gateway.find_by_emails(["a@example.com"])
    message = str(caught.value)
    assert "invalid_client" in message and "client_secret" in message
    assert "wrong" not in message and sleeps == []


def test_a_server_we_cannot_verify_is_unreachable_and_names_ca_bundle(org, ca, sleeps):
    gateway = SalesforceGateway(_settings(org, ca, ca_bundle=None), sleep=sleeps.append)
    with pytest.raises(UnreachableError, match="TLS verification failed.*ca_bundle"):
        gateway.users()


def test_an_unreachable_host_fails_fast(org, ca, sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens there
    gateway = SalesforceGateway(_settings(org, ca, login_url=f"https://127.0.0.1:{port}"),
                                sleep=sleeps.append)
    started = time.monotonic()
    with pytest.raises(UnreachableError, match="cannot connect"):
        gateway.users()
    assert time.monotonic() - started < 2 and sleeps == []


def test_locked_rows_are_retried_alone_until_they_go_through(org, ca, sleeps, monkeypatch):
    _state, knobs, _served = org
    knobs.lock_error_rate, knobs.seed = 0.4, 7
    sizes = []
    from connectors.salesforce import writes
    real = writes._collections
    monkeypatch.setattr(writes, "_collections",
                        lambda conn, parts: sizes.append(sum(len(p.rows) for p in parts)) or real(conn, parts))
    gateway = SalesforceGateway(_settings(org, ca, row_retry_attempts=8), sleep=sleeps.append)
    rows = [{"HubSpot_Id__c": str(5000 + i), "LastName": f"Locked{i}", "Company": "Lock Co",
             "Email": f"lock{i}@lock.example"} for i in range(12)]
    results = gateway.upsert("Lead", "HubSpot_Id__c", rows)
    assert [(r.ok, r.error_code) for r in results] == [(True, None)] * 12
    assert sizes[0] == 12 and len(sizes) > 1
    assert all(later <= earlier for earlier, later in zip(sizes, sizes[1:])) and sizes[1] < 12
    assert len(sleeps) == len(sizes) - 1


def test_the_exhausted_daily_allocation_is_retriable_later(gateway, org):
    gateway.users()
    org[1].daily_api_limit = 1
    with pytest.raises(BudgetExhausted) as caught:
        gateway.users()
    assert caught.value.code == "REQUEST_LIMIT_EXCEEDED" and caught.value.retry_after == pytest.approx(3600, abs=5)
    assert caught.value.limit == "Salesforce daily API request limit"
    assert gateway.usage().remaining == 0


def test_changed_records_and_reference_data(gateway, org, clock):
    state = org[0]
    clock.at += timedelta(hours=1)
    state.update("Lead", "00Q5e0000000002AAA", {"Status": "Working - Contacted"})
    changed = gateway.query_changed("Lead", ["Status"], START)
    assert [(r.id, r.fields["Status"]) for r in changed] == [
        ("00Q5e0000000002AAA", "Working - Contacted")]
    schema = gateway.describe("Lead")
    assert schema.fields["HubSpot_Id__c"].external_id
    assert schema.fields["Buying_Intent__c"].picklist == ("passive", "active")
    assert "olive@sandbox.example" in [u["Username"] for u in gateway.users()]


def test_tasks_are_upserted_once_per_syncd_key(gateway, org):
    state = org[0]
    task = {"Syncd_Key__c": "sla:1001:2026-03-02", "Subject": "Call Ada within 4 hours",
            "WhoId": "00Q5e0000000001AAA", "OwnerId": OWNER}
    first = gateway.upsert_tasks([task])
    second = gateway.upsert_tasks([task])
    assert first[0].created and not second[0].created and first[0].id == second[0].id
    assert len(state.records("Task")) == 1


def _private_key_file(tmp_path) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "connected-app.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


@pytest.mark.parametrize("auth", ["jwt", "password"])
def test_jwt_bearer_and_password_logins(org, ca, sleeps, tmp_path, auth):
    knobs = org[1]
    extra = (dict(private_key_file=_private_key_file(tmp_path), client_secret=None)
             if auth == "jwt" else dict(password=knobs.password, security_token="TOKEN"))
    gateway = SalesforceGateway(_settings(org, ca, auth=auth, username=knobs.username, **extra),
                                sleep=sleeps.append)
    assert gateway.find_by_emails(["bo@example.org"])[0].id == "00Q5e0000000002AAA"


def test_a_jwt_for_another_user_is_refused(org, ca, sleeps, tmp_path):
    gateway = SalesforceGateway(_settings(org, ca, auth="jwt", username="someone@else.example",
                                          private_key_file=_private_key_file(tmp_path)),
                                sleep=sleeps.append)
    with pytest.raises(AuthError, match="invalid_grant"):
        gateway.users()


def test_an_unreadable_private_key_is_an_auth_error_naming_the_file(org, ca, sleeps, tmp_path):
    bad = tmp_path / "not-a-key.pem"
    bad.write_text("hello")
    gateway = SalesforceGateway(_settings(org, ca, auth="jwt", username="u@x.example",
                                          private_key_file=bad), sleep=sleeps.append)
    with pytest.raises(AuthError, match="private_key_file.*not-a-key.pem"):
        gateway.users()


def test_a_missing_ca_bundle_file_is_a_clear_error(org, ca, sleeps, tmp_path):
    gateway = SalesforceGateway(_settings(org, ca, ca_bundle=tmp_path / "missing.pem"),
                                sleep=sleeps.append)
    with pytest.raises(UnreachableError, match="missing.pem.*salesforce.ca_bundle"):
        gateway.users()


def test_locked_rows_of_a_bulk_job_are_sent_again_alone(org, ca, sleeps, monkeypatch):
    state, knobs, _served = org
    knobs.lock_error_rate, knobs.seed = 0.5, 3
    from connectors.salesforce import writes
    sent = []
    real_bulk, real_collections = writes.bulk_write, writes._collections
    monkeypatch.setattr(writes, "bulk_write", lambda sf, o, op, k, rows, **kw: sent.append(
        ("bulk", len(rows))) or real_bulk(sf, o, op, k, rows, **kw))
    monkeypatch.setattr(writes, "_collections", lambda conn, o, op, k, rows: sent.append(
        ("collections", len(rows))) or real_collections(conn, o, op, k, rows))
    gateway = SalesforceGateway(_settings(org, ca, bulk_threshold=6, row_retry_attempts=10),
                                sleep=sleeps.append)
    rows = [{"HubSpot_Id__c": str(6000 + i), "LastName": f"B{i}", "Company": "Bulk Lock",
             "Email": f"bl{i}@lock.example"} for i in range(10)]
    results = gateway.upsert("Lead", "HubSpot_Id__c", rows)
    assert all(r.ok for r in results)
    assert sent[0] == ("bulk", 10) and len(sent) > 1
    assert all(n < 10 for _kind, n in sent[1:])
    assert len({r["HubSpot_Id__c"] for r in state.records("Lead")} & {r["HubSpot_Id__c"]
                                                                      for r in rows}) == 10


def test_query_answers_are_followed_across_pages(ca, clock, sleeps):
    leads = [_lead(n, f"page{n}@example.com", Id=None, HubSpot_Id__c=str(7000 + n))
             for n in range(2050)]
    seed = {**SEED, "leads": [{k: v for k, v in lead.items() if v is not None} for lead in leads]}
    state = SalesforceState.from_seed(seed, clock=clock)
    knobs = SalesforceSettings()
    served = serve(create_app(state, knobs), tls=ca)
    try:
        gateway = SalesforceGateway(_settings((state, knobs, served), ca), sleep=sleeps.append)
        changed = gateway.query_changed("Lead", ["Email"], datetime(2025, 1, 1, tzinfo=UTC))
    finally:
        served.shutdown()
    assert len(changed) == 2050 and len({r.id for r in changed}) == 2050
    assert gateway.usage().calls["GET /services/data/vXX.X/query/{locator}"] == 1


def test_built_from_config_toml_it_reads_the_mapped_fields(org, ca, tmp_path):
    from connectors.salesforce.wiring import gateway_from_settings
    from syncd.config import load_settings

    _state, knobs, served = org
    (tmp_path / "sf_id").write_text(knobs.client_id + "\n")
    (tmp_path / "sf_secret").write_text(knobs.client_secret + "\n")
    (tmp_path / "hs_token").write_text("token\n")
    mappings = Path(__file__).resolve().parents[2] / "mappings"
    config = tmp_path / "config.toml"
    config.write_text(f"""
[hubspot]
token_env = ""
token_file = "{tmp_path / 'hs_token'}"

[salesforce]
login_url = "{served.url}"
client_id_env = ""
client_id_file = "{tmp_path / 'sf_id'}"
client_secret_env = ""
client_secret_file = "{tmp_path / 'sf_secret'}"
ca_bundle = "{ca.ca_file}"

[mappings]
dir = "{mappings}"
""")
    settings = load_settings(config)
    gateway = gateway_from_settings(settings, sleep=lambda s: None)
    [lead] = gateway.find_by_emails(["ada.lovelace@example.com"])
    mapped = settings.fields.salesforce_fields("Lead")
    assert mapped <= set(lead.fields)


def test_opportunity_facts_say_per_account_open_won_and_churned(gateway, org):
    state, _, _ = org
    open_acct = state.insert("Account", {"Name": "Open Co"})
    won_acct = state.insert("Account", {"Name": "Won Co"})
    lost_acct = state.insert("Account", {"Name": "Lost Co"})
    churned_acct = state.insert("Account", {"Name": "Churned Co"})
    for account, stage, date in ((open_acct, "Prospecting", "2026-12-01"),
                                 (won_acct, "Closed Won", "2025-12-01"),
                                 (won_acct, "Negotiation/Review", "2026-12-01"),
                                 (lost_acct, "Closed Lost", "2026-03-01"),
                                 (churned_acct, "Closed Won", "2025-06-01"),
                                 (churned_acct, "Closed Lost", "2026-06-01")):  # the renewal
        state.insert("Opportunity", {"Name": stage, "AccountId": account, "StageName": stage,
                                     "CloseDate": date})
    facts = gateway.opportunity_facts([open_acct, won_acct, lost_acct, churned_acct, None])
    assert facts == {open_acct: {"open": True, "won": False, "churned": False},
                     won_acct: {"open": True, "won": True, "churned": False},
                     lost_acct: {"open": False, "won": False, "churned": False},
                     churned_acct: {"open": False, "won": True, "churned": True}}
    assert gateway.opportunity_facts([]) == {}
