"""A staff user pool in moto, created by the same code as `ulakbel dev --stage prod`; users signed in with
AdminInitiateAuth get real RS256 tokens, verified against the JWKS that moto serves."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field

import boto3

from ulakbel_cli.user_pool import StaffPool, add_staff_user, admin_sign_in, create_staff_pool

PASSWORD = "Correct-Horse-Battery-9"


@dataclass
class Pool:
    endpoint: str
    staff: StaffPool
    idp: object
    fetched: list[str] = field(default_factory=list)

    @property
    def pool_id(self) -> str:
        return self.staff.pool_id

    @property
    def client_id(self) -> str:
        return self.staff.client_id

    @property
    def issuer(self) -> str:
        return self.staff.issuer

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"

    def fetch_jwks(self, url: str) -> dict:
        self.fetched.append(url)
        with urllib.request.urlopen(url, timeout=5) as resp:
            return json.loads(resp.read())

    def add_client(self, name: str = "other") -> str:
        return self.idp.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName=name,
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]

    def add_user(self, email: str, role: str, department: str | None = None, lead: bool = False) -> None:
        add_staff_user(self.idp, self.pool_id, email, role=role, department=department, lead=lead,
                       password=PASSWORD)

    def sign_in(self, email: str, client_id: str | None = None) -> dict:
        staff = StaffPool(self.pool_id, client_id or self.client_id, self.staff.region)
        return admin_sign_in(self.idp, staff, email, PASSWORD)


def create_pool(endpoint: str, stage: str = "prod") -> Pool:
    idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="eu-central-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    staff = create_staff_pool(idp, stage, callback_url="http://127.0.0.1:8000/console/callback",
                              logout_url="http://127.0.0.1:8000/console/login")
    return Pool(endpoint, staff, idp)


class HostedUi:
    """Cognito's hosted UI as the console sees it: /oauth2/authorize hands out a code for a signed-in user,
    /oauth2/token (the injectable transport of chalicelib.adapters.cognito_oauth) answers with the recorded
    Cognito response shape, carrying real user-pool tokens; PKCE, redirect_uri and client_id are checked."""

    def __init__(self, pool: Pool, base: str = "https://talas.auth.eu-central-1.amazoncognito.com") -> None:
        from pathlib import Path

        self.pool = pool
        self.base = base
        fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "cognito"
        self.code_response = json.loads((fixtures / "token_authorization_code.json").read_text())
        self.refresh_response = json.loads((fixtures / "token_refresh.json").read_text())
        self.codes: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.revoked: set[str] = set()

    def authorize(self, url: str, email: str) -> str:
        """The user signs in on the hosted UI: returns the callback URL (with ?code&state)."""
        import secrets
        from urllib.parse import parse_qs, urlencode, urlparse

        q = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        assert url.startswith(self.base + "/oauth2/authorize?")
        assert q["response_type"] == "code" and q["code_challenge_method"] == "S256" and q["client_id"] == self.pool.client_id
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"tokens": self.pool.sign_in(email), "challenge": q["code_challenge"],
                            "redirect_uri": q["redirect_uri"], "client_id": q["client_id"]}
        return f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"

    def transport(self, url: str, form: dict[str, str]) -> tuple[int, dict]:
        from chalicelib.adapters.cognito_oauth import pkce_challenge

        self.requests.append(dict(form))
        assert url in (self.base + "/oauth2/token", self.base + "/oauth2/revoke")
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once
            if (grant is None or form.get("client_id") != grant["client_id"]
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or pkce_challenge(form.get("code_verifier", "")) != grant["challenge"]):
                return 400, {"error": "invalid_grant"}
            t = grant["tokens"]
            return 200, {**self.code_response, "id_token": t["IdToken"], "access_token": t["AccessToken"],
                         "refresh_token": t["RefreshToken"], "expires_in": t["ExpiresIn"]}
        if url == self.base + "/oauth2/revoke":
            self.revoked.add(form.get("token", ""))
            return 200, {}
        if form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") in self.revoked:
                return 400, {"error": "invalid_grant"}
            try:
                t = self.pool.idp.admin_initiate_auth(
                    UserPoolId=self.pool.pool_id, ClientId=form.get("client_id", ""), AuthFlow="REFRESH_TOKEN_AUTH",
                    AuthParameters={"REFRESH_TOKEN": form.get("refresh_token", "")})["AuthenticationResult"]
            except Exception:
                return 400, {"error": "invalid_grant"}
            return 200, {**self.refresh_response, "id_token": t["IdToken"], "access_token": t["AccessToken"],
                         "expires_in": t["ExpiresIn"]}
        return 400, {"error": "unsupported_grant_type"}
