"""Login flows, session expiry and the daily API limit, through simple-salesforce."""

from __future__ import annotations

import jwt
import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (SalesforceAuthenticationFailed,
                                          SalesforceRefusedRequest)


def host(served) -> str:
    return served.url.removeprefix("https://")


def test_client_credentials_login_points_the_client_at_the_emulator(sf, org):
    _state, _settings, served = org
    assert sf.sf_instance == host(served)
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 5


def test_token_response_shape(org, session):
    _state, settings, served = org
    resp = session.post(f"{served.url}/services/oauth2/token",
                        data={"grant_type": "client_credentials", "client_id": settings.client_id,
                              "client_secret": settings.client_secret})
    body = resp.json()
    assert resp.status_code == 200
    assert set(body) >= {"access_token", "instance_url", "id", "token_type", "issued_at",
                         "signature"}
    assert body["instance_url"] == served.url and body["token_type"] == "Bearer"


@pytest.mark.parametrize(("form", "error"), [
    ({"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
     "invalid_client"),
    ({"grant_type": "password", "client_id": "sandbox-client-id",
      "client_secret": "sandbox-client-secret", "username": "integration@sandbox.example",
      "password": "wrong"}, "invalid_grant"),
    ({"grant_type": "authorization_code"}, "unsupported_grant_type"),
])
def test_wrong_credentials_are_rejected_like_salesforce(org, session, form, error):
    resp = session.post(f"{org[2].url}/services/oauth2/token", data=form)
    assert resp.status_code == 400
    assert resp.json()["error"] == error and resp.json()["error_description"]


def test_password_and_jwt_and_soap_logins(org, session):
    _state, s, served = org
    oauth = f"{host(served)}/services/oauth2/token?"
    by_password = Salesforce(username=s.username, password=s.password, consumer_key=s.client_id,
                             consumer_secret=s.client_secret, domain=oauth, session=session)
    key = _private_key()
    by_jwt = Salesforce(username=s.username, consumer_key=s.client_id, privatekey=key,
                        domain=oauth, session=session)
    by_soap = Salesforce(username=s.username, password=s.password, security_token="TOKEN",
                         domain=f"{host(served)}/services/Soap/u/59.0?", session=session)
    for client in (by_password, by_jwt, by_soap):
        assert client.query("SELECT COUNT() FROM Lead")["totalSize"] == 5
    with pytest.raises(SalesforceAuthenticationFailed, match="INVALID_LOGIN"):
        Salesforce(username=s.username, password="nope", security_token="",
                   domain=f"{host(served)}/services/Soap/u/59.0?", session=session)
    bad = jwt.encode({"iss": "other-app", "sub": s.username}, key, algorithm="RS256")
    resp = session.post(f"{served.url}/services/oauth2/token", data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": bad})
    assert resp.json()["error"] == "invalid_client_id"


def _private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def test_expired_session_gives_401_array_and_client_logs_in_again(sf, org, session):
    state, _settings, served = org
    old_token = sf.session_id
    state.expire_sessions()
    resp = session.get(f"{served.url}/services/data/v59.0/limits",
                       headers={"Authorization": f"Bearer {old_token}"})
    assert resp.status_code == 401
    assert resp.json() == [{"message": "Session expired or invalid",
                            "errorCode": "INVALID_SESSION_ID"}]
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 5  # re-authenticated once
    assert sf.session_id != old_token


def test_session_lifetime_follows_the_injected_clock(sf, org, session, clock):
    _state, settings, served = org
    url = f"{served.url}/services/data/v59.0/limits"
    auth = {"Authorization": f"Bearer {sf.session_id}"}
    clock.advance(settings.session_ttl_seconds - 1)
    assert session.get(url, headers=auth).status_code == 200
    clock.advance(1)
    assert session.get(url, headers=auth).status_code == 401


def test_daily_limit_header_and_request_limit_exceeded(sf, org):
    state, settings, _served = org
    settings.daily_api_limit = 3
    sf.query("SELECT COUNT() FROM Lead")
    assert sf.api_usage["api-usage"].used == state.api_calls_today
    assert sf.limits()["DailyApiRequests"]["Max"] == 3
    sf.query("SELECT COUNT() FROM Lead")
    with pytest.raises(SalesforceRefusedRequest) as caught:
        sf.query("SELECT COUNT() FROM Lead")
    assert caught.value.status == 403
    assert caught.value.content == [{"message": "TotalRequests Limit exceeded.",
                                     "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
    assert state.api_calls_today == 3


def test_usage_set_by_an_admin_counts_and_resets_on_the_next_day(sf, org, clock):
    state, settings, _served = org
    state.api_calls_today = settings.daily_api_limit
    with pytest.raises(SalesforceRefusedRequest):
        sf.query("SELECT COUNT() FROM Lead")
    clock.advance(24 * 3600)  # the token expires too: the client logs in again by itself
    sf.query("SELECT COUNT() FROM Lead")
    assert sf.api_usage["api-usage"].used == 1
