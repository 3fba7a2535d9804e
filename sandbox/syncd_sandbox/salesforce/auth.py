"""Login: the OAuth 2.0 token endpoint (three grant types) and the SOAP login call."""

from __future__ import annotations

import base64
import hashlib
import hmac
from html import escape
from xml.etree import ElementTree

import jwt

from .http import Ctx, json_response
from werkzeug.wrappers import Response

__all__ = ["ROUTES"]

_JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def _oauth_error(error: str, description: str) -> Response:
    return json_response({"error": error, "error_description": description}, 400)


def _password_ok(ctx: Ctx, username: str | None, password: str | None) -> bool:
    s = ctx.settings
    # The org does not check security tokens: whatever follows the password is accepted
    # as one, as with a trusted IP range.
    return username == s.username and bool(password) and password.startswith(s.password)


def _grant(ctx: Ctx, form, basic: tuple[str, str] | None) -> Response:
    s = ctx.settings
    grant = form.get("grant_type")
    if grant == "client_credentials":
        cid, secret = basic or (form.get("client_id"), form.get("client_secret"))
        if (cid, secret) != (s.client_id, s.client_secret):
            return _oauth_error("invalid_client", "invalid client credentials")
    elif grant == "password":
        if form.get("client_id") != s.client_id:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if form.get("client_secret") != s.client_secret:
            return _oauth_error("invalid_client", "invalid client credentials")
        if not _password_ok(ctx, form.get("username"), form.get("password")):
            return _oauth_error("invalid_grant", "authentication failure")
    elif grant == _JWT_GRANT:
        # The signature is not checked: the sandbox holds no certificate of the connected
        # app, and what syncd must get right is the flow and the claims.
        try:
            claims = jwt.decode(form.get("assertion", ""), options={"verify_signature": False})
        except jwt.PyJWTError:
            return _oauth_error("invalid_grant", "invalid assertion")
        if claims.get("iss") != s.client_id:
            return _oauth_error("invalid_client_id", "client identifier invalid")
        if claims.get("sub") != s.username:
            return _oauth_error("invalid_grant", "user hasn't approved this consumer")
    else:
        return _oauth_error("unsupported_grant_type", "grant type not supported")
    return json_response(_token_body(ctx))


def _token_body(ctx: Ctx) -> dict:
    state = ctx.state
    token = state.issue_session()
    issued_at = str(int(state.clock().timestamp() * 1000))
    ident = f"{ctx.base_url}/id/{state.org_id}/{state.integration_user_id}"
    mac = hmac.new(ctx.settings.client_secret.encode(), (ident + issued_at).encode(),
                   hashlib.sha256).digest()
    return {"access_token": token, "instance_url": ctx.base_url, "id": ident,
            "token_type": "Bearer", "issued_at": issued_at,
            "signature": base64.b64encode(mac).decode(), "scope": "api"}


def token(ctx: Ctx) -> Response:
    """``POST /services/oauth2/token``."""
    auth = ctx.request.authorization
    basic = (auth.username, auth.password) if auth and auth.type == "basic" else None
    return _grant(ctx, ctx.request.form, basic)


def _soap_field(body: bytes, name: str) -> str | None:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    found = next((el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == name), None)
    return found.text if found is not None else None


def _soap_fault(code: str, message: str) -> Response:
    xml = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
           'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
           'xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault>'
           f'<faultcode>sf:{code}</faultcode><faultstring>{code}: {escape(message)}'
           '</faultstring><detail><sf:LoginFault><sf:exceptionCode>'
           f'{code}</sf:exceptionCode><sf:exceptionMessage>{escape(message)}'
           '</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body>'
           '</soapenv:Envelope>')
    return Response(xml, status=500, content_type="text/xml;charset=UTF-8")


def soap_login(ctx: Ctx, ver: str) -> Response:
    """``POST /services/Soap/u/{ver}`` with SOAPAction login (partner WSDL)."""
    body = ctx.request.get_data()
    if not _password_ok(ctx, _soap_field(body, "username"), _soap_field(body, "password")):
        return _soap_fault("INVALID_LOGIN", "Invalid username, password, security token; "
                                            "or user locked out.")
    state = ctx.state
    session = state.issue_session()
    server = f"{ctx.base_url}/services/Soap/u/{ver}/{state.org_id[:15]}"
    xml = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
           'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
           'xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result>'
           f'<metadataServerUrl>{ctx.base_url}/services/Soap/m/{ver}/{state.org_id[:15]}'
           '</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>true'
           f'</sandbox><serverUrl>{server}</serverUrl><sessionId>{session}</sessionId>'
           f'<userId>{state.integration_user_id}</userId><userInfo><organizationId>'
           f'{state.org_id}</organizationId><userName>{escape(ctx.settings.username)}'
           '</userName><sessionSecondsValid>'
           f'{int(ctx.settings.session_ttl_seconds)}</sessionSecondsValid></userInfo>'
           '</result></loginResponse></soapenv:Body></soapenv:Envelope>')
    return Response(xml, status=200, content_type="text/xml;charset=UTF-8")


ROUTES = [
    ("POST", "/services/oauth2/token", token),
    ("POST", "/services/Soap/u/{ver}", soap_login),
]
