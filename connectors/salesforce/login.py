"""Get a session: OAuth 2.0 client credentials, JWT bearer, username-password, or a given one.

The token request is made here rather than by simple-salesforce, whose login builds
``https://{domain}.salesforce.com`` URLs: syncd must accept any ``login_url`` (My Domain,
sandboxes, a local emulator) and classify login failures like every other call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
import requests

from .errors import Verdict, classify, make_error
from .settings import SalesforceClientSettings
from .translate import first_error, translate

__all__ = ["Session", "login"]

_JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    instance_url: str
    session_id: str

    def __repr__(self) -> str:  # the session id is a bearer secret
        return f"Session(instance_url={self.instance_url!r})"


def _form(s: SalesforceClientSettings) -> dict[str, str]:
    if s.auth == "client_credentials":
        return {"grant_type": "client_credentials", "client_id": s.client_id,
                "client_secret": s.client_secret}
    if s.auth == "password":
        return {"grant_type": "password", "client_id": s.client_id,
                "client_secret": s.client_secret, "username": s.username,
                "password": s.password + (s.security_token or "")}
    key = s.private_key_file.read_text(encoding="utf-8")
    claims = {"iss": s.client_id, "sub": s.username, "aud": s.login_url.rstrip("/"),
              "exp": int(time.time()) + 180}
    return {"grant_type": _JWT_GRANT, "assertion": jwt.encode(claims, key, algorithm="RS256")}


def login(http: requests.Session, settings: SalesforceClientSettings) -> Session:
    """A fresh session for ``settings``; raises ``AuthError``, ``UnreachableError``...."""
    if settings.auth == "session":
        return Session(instance_url=settings.instance_url, session_id=settings.session_id)
    try:
        form = _form(settings)
    except (OSError, ValueError, jwt.PyJWTError) as exc:
        raise make_error(Verdict.AUTH, operation="login",
                         message=f"cannot sign the JWT with salesforce.private_key_file "
                                 f"{settings.private_key_file}: {exc}") from None
    try:
        response = http.post(settings.token_url, data=form)
        body = response.json() if response.content else {}
    except (requests.RequestException, ValueError) as exc:
        raise translate(exc, "login")[1] from None
    if response.status_code != 200 or "access_token" not in body:
        code, message = first_error(body)
        verdict = classify(response.status_code, code)
        if verdict in (Verdict.REAUTH, Verdict.FATAL) and response.status_code < 500:
            verdict = Verdict.AUTH  # any refusal of a login is an authentication problem
        raise make_error(verdict, operation="login", status=response.status_code, code=code,
                         message=f"{message or 'token request refused'} "
                                 f"(auth={settings.auth}, {settings.token_url})")
    return Session(instance_url=body.get("instance_url") or settings.instance_url or
                   settings.login_url, session_id=body["access_token"])
