"""Settings: refused when incomplete (naming what is missing), secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.salesforce import SalesforceClientSettings
from connectors.salesforce.wiring import client_settings, read_fields
from syncd.mapping import FieldMapping, FieldRule
from syncd.config.schema import SalesforceSection, Secrets


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(auth="client_credentials", client_id="id"), "needs client_secret"),
    (dict(auth="password", client_id="id", client_secret="s"), "needs username, password"),
    (dict(auth="jwt", client_id="id", username="u"), "needs private_key_file"),
    (dict(auth="session", session_id="x"), "needs instance_url"),
    (dict(auth="oauth", client_id="id"), "auth='oauth' is not one of"),
    (dict(client_id="i", client_secret="s", api_version="v59"), "api_version='v59'"),
    (dict(client_id="i", client_secret="s", login_url="http://login.example"),
     "must start with https://"),
    (dict(client_id="i", client_secret="s", timeout=0), "must be positive"),
])
def test_incomplete_settings_are_refused_with_the_missing_names(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SalesforceClientSettings(**kwargs)


def test_repr_shows_no_secret():
    settings = SalesforceClientSettings(client_id="the-id", client_secret="the-secret",
                                        password="the-password", session_id="the-session")
    text = repr(settings)
    assert not any(s in text for s in ("the-id", "the-secret", "the-password", "the-session"))
    assert settings.token_url == "https://login.salesforce.com/services/oauth2/token"


def test_settings_from_config_resolve_relative_paths_and_secrets(tmp_path):
    section = SalesforceSection(login_url="https://acme.my.salesforce.com", auth="jwt",
                                username="int@acme.example", private_key_file=Path("keys/sf.pem"),
                                ca_bundle=Path("/etc/ssl/proxy.pem"), bulk_threshold=5000)
    secrets = Secrets(hubspot_token="h", salesforce_client_id="cid")
    settings = client_settings(section, secrets, base_dir=tmp_path,
                               external_id_field="HS_Id__c")
    assert settings.login_url == "https://acme.my.salesforce.com"
    assert settings.private_key_file == tmp_path / "keys" / "sf.pem"
    assert settings.ca_bundle == Path("/etc/ssl/proxy.pem")
    assert (settings.auth, settings.client_id, settings.bulk_threshold,
            settings.external_id_field) == ("jwt", "cid", 5000, "HS_Id__c")


def test_the_gateway_reads_every_mapped_field_so_unchanged_values_are_not_rewritten():
    mapping = FieldMapping(fields=(
        FieldRule(hubspot="jobtitle", salesforce="Title"),
        FieldRule(hubspot="company", lead="Company"),
        FieldRule(hubspot="industry", salesforce="Industry__c", rule="dont_sync")))
    fields = read_fields(mapping)
    assert {"Title", "Company", "Lead_Profile__c", "HubSpot_Id__c"} <= set(fields["Lead"])
    assert "Title" in fields["Contact"] and "Company" not in fields["Contact"]
    assert "Industry__c" not in fields["Lead"]
    assert fields["Lead"][:2] == ("Id", "Email") and len(set(fields["Lead"])) == len(fields["Lead"])
