"""The local stand-in for Cognito's hosted UI that `ulakbel dev --stage prod` serves: the authorization code
flow with PKCE against the user pool in moto, codes used once, redirect_uri and client checked."""
from __future__ import annotations

import jwt
import pytest

from chalicelib.adapters.cognito_oauth import pkce_pair
from tests.support.user_pool import PASSWORD, create_pool
from ulakbel_cli.hosted_ui import LocalHostedUi

CALLBACK = "http://127.0.0.1:8000/console/callback"


@pytest.fixture
def ui(moto_server):
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10)
    pool = create_pool(moto_server)
    pool.add_user("park-sefi@talas.bel.tr", "department", "park")
    hosted = LocalHostedUi(pool.idp, pool.pool_id, pool.client_id, CALLBACK)
    yield hosted, pool
    hosted.server.server_close()


def _authorize(pool, challenge: str, **over) -> dict[str, str]:
    return {"response_type": "code", "client_id": pool.client_id, "redirect_uri": CALLBACK, "state": "s1",
            "code_challenge": challenge, "code_challenge_method": "S256", "scope": "openid email profile", **over}


def test_code_with_pkce_gives_the_pools_tokens_once(ui):
    hosted, pool = ui
    verifier, challenge = pkce_pair()
    status, location, _ = hosted.login({**_authorize(pool, challenge), "username": "park-sefi@talas.bel.tr",
                                        "password": PASSWORD})
    assert status == 302 and location.startswith(CALLBACK + "?code=") and location.endswith("&state=s1")
    code = location.split("code=", 1)[1].split("&", 1)[0]
    exchange = {"grant_type": "authorization_code", "client_id": pool.client_id, "code": code,
                "redirect_uri": CALLBACK}
    assert hosted.token({**exchange, "code_verifier": "x" * 43}) == (400, {"error": "invalid_grant"})
    # a wrong verifier burns the code (one use), as Cognito does
    assert hosted.token({**exchange, "code_verifier": verifier}) == (400, {"error": "invalid_grant"})
    verifier, challenge = pkce_pair()
    _, location, _ = hosted.login({**_authorize(pool, challenge), "username": "park-sefi@talas.bel.tr",
                                   "password": PASSWORD})
    code = location.split("code=", 1)[1].split("&", 1)[0]
    status, tokens = hosted.token({**exchange, "code": code, "code_verifier": verifier})
    assert status == 200 and tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["aud"] == pool.client_id and "dept-park" in claims["cognito:groups"]
    assert hosted.token({**exchange, "code": code, "code_verifier": verifier}) == (400, {"error": "invalid_grant"})
    status, renewed = hosted.token({"grant_type": "refresh_token", "client_id": pool.client_id,
                                    "refresh_token": tokens["refresh_token"]})
    assert status == 200 and renewed["id_token"] and "refresh_token" not in renewed


def test_wrong_password_redirect_client_or_missing_pkce_are_refused(ui):
    hosted, pool = ui
    _, challenge = pkce_pair()
    status, location, page = hosted.login({**_authorize(pool, challenge), "username": "park-sefi@talas.bel.tr",
                                           "password": "Wrong-Password-1"})
    assert status == 401 and location is None and "wrong e-mail or password" in page
    assert hosted.check_authorize(_authorize(pool, challenge, redirect_uri="https://evil.example/cb")) \
        == "redirect_mismatch"
    assert hosted.check_authorize(_authorize(pool, challenge, client_id="other"))
    assert hosted.check_authorize(_authorize(pool, "", code_challenge_method="plain"))
    assert hosted.token({"grant_type": "authorization_code", "client_id": "other", "code": "x"})[0] == 400
    assert hosted.token({"grant_type": "password", "client_id": pool.client_id}) == \
        (400, {"error": "unsupported_grant_type"})


def test_revoke_ends_the_refresh_token(ui):
    hosted, pool = ui
    tokens = pool.sign_in("park-sefi@talas.bel.tr")
    refresh = {"grant_type": "refresh_token", "client_id": pool.client_id, "refresh_token": tokens["RefreshToken"]}
    assert hosted.token(refresh)[0] == 200
    assert hosted.revoke({"token": tokens["RefreshToken"], "client_id": pool.client_id}) == (200, {})
    assert hosted.token(refresh) == (400, {"error": "invalid_grant"})
    assert hosted.revoke({"token": "unknown", "client_id": pool.client_id}) == (200, {})  # RFC 7009
