"""The user pool's OAuth 2.0 endpoints (Cognito hosted UI): authorization code with PKCE for the staff
console, and the refresh-token grant that keeps a console session alive past the id token's hour.

The HTTP transport is injectable: tests answer with recorded Cognito responses; `ulakbel dev --stage prod`
points the hosted UI at its local sign-in page (moto has no hosted UI), which returns real user-pool tokens.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable

from ..domain.errors import Unauthenticated

# (url, form fields) -> (HTTP status, parsed JSON body)
FormPost = Callable[[str, dict[str, str]], tuple[int, dict]]
SCOPES = "openid email profile"


def urllib_form_post(url: str, form: dict[str, str]) -> tuple[int, dict]:
    data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:  # nosec B310 - the configured hosted UI URL
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        try:
            return err.code, json.loads(err.read() or b"{}")
        except ValueError:
            return err.code, {}
    except (urllib.error.URLError, socket.timeout, ConnectionError, TimeoutError, ValueError):
        return 503, {"error": "temporarily_unavailable"}


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class TokenSet:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


class CognitoOAuth:
    def __init__(self, hosted_ui: str | None, client_id: str | None, *, transport: FormPost = urllib_form_post):
        self.hosted_ui = (hosted_ui or "").rstrip("/") or None
        self.client_id = client_id
        self._post = transport

    @property
    def configured(self) -> bool:
        return bool(self.hosted_ui and self.client_id)

    def authorize_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        return f"{self.hosted_ui}/oauth2/authorize?" + urllib.parse.urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": SCOPES, "state": state, "code_challenge": code_challenge, "code_challenge_method": "S256"})

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> TokenSet:
        return self._token({"grant_type": "authorization_code", "client_id": self.client_id or "", "code": code,
                            "redirect_uri": redirect_uri, "code_verifier": code_verifier})

    def refresh(self, refresh_token: str) -> TokenSet:
        """Cognito answers a refresh with new id/access tokens; a refresh token only if rotation is on."""
        return self._token({"grant_type": "refresh_token", "client_id": self.client_id or "",
                            "refresh_token": refresh_token})

    def revoke(self, refresh_token: str) -> bool:
        """Sign-out: the refresh token (and the tokens issued with it) stop working at the pool."""
        if not self.configured:
            return False
        status, _ = self._post(f"{self.hosted_ui}/oauth2/revoke", {"token": refresh_token,
                                                                    "client_id": self.client_id or ""})
        return status == 200

    def logout_url(self, logout_uri: str) -> str:
        """The hosted UI's /logout ends its own session too (else the next sign-in would skip the password)."""
        return f"{self.hosted_ui}/logout?" + urllib.parse.urlencode({"client_id": self.client_id,
                                                                     "logout_uri": logout_uri})

    def _token(self, form: dict[str, str]) -> TokenSet:
        if not self.configured:
            raise Unauthenticated("Kurumsal giriş yapılandırılmamış / sign-in with the user pool is not configured")
        status, body = self._post(f"{self.hosted_ui}/oauth2/token", form)
        if status != 200 or not body.get("id_token") or not body.get("access_token"):
            raise Unauthenticated(f"Giriş tamamlanamadı ({body.get('error') or status}) / "
                                  "sign-in could not be completed")
        return TokenSet(id_token=body["id_token"], access_token=body["access_token"],
                        refresh_token=body.get("refresh_token"), expires_in=int(body.get("expires_in") or 3600))
