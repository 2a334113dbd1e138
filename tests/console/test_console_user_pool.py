"""Console sign-in outside the local stage: the user pool's authorization-code flow with PKCE (token endpoint
answered with the recorded Cognito response shape, real moto user-pool tokens), no dev tokens, and the
session renewed with the refresh token before the id token expires (injected clock)."""
from __future__ import annotations

import jwt
import pytest

from tests.console.helpers import form_post, hidden, text_of
from tests.support.user_pool import HostedUi, create_pool

HOST = {"Host": "127.0.0.1:8000"}


class Clock:
    def __init__(self) -> None:
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def prod(client, aws, moto_server, monkeypatch):
    """The app configured as infra/ configures the prod stage (plus the embedded AWS endpoint)."""
    from chalicelib import container

    pool = create_pool(moto_server)
    pool.add_user("park-sefi@talas.bel.tr", "department", "park", lead=True)
    hosted = HostedUi(pool)
    for key, value in {"ULAKBEL_STAGE": "prod", "ULAKBEL_TABLE": aws["table"], "COGNITO_ISSUER": pool.issuer,
                       "COGNITO_AUDIENCE": pool.client_id, "COGNITO_HOSTED_UI": hosted.base,
                       "PUBLIC_BASE_URL": "http://127.0.0.1:8000"}.items():
        monkeypatch.setenv(key, value)
    container.reset()
    assert container.settings().stage == "prod"  # built now: the test client re-applies the local stage's env
    clock = Clock()
    container.override("clock", clock)
    from chalicelib.adapters.cognito_oauth import CognitoOAuth

    container.override("cognito_oauth", CognitoOAuth(hosted.base, pool.client_id, transport=hosted.transport))
    return {"client": client, "pool": pool, "hosted": hosted, "clock": clock}


def cookie_jar(response, jar: dict[str, str]) -> dict[str, str]:
    values = response.headers.get("Set-Cookie") or []
    for value in ([values] if isinstance(values, str) else values):
        for part in value.split(", ulakbel_") if isinstance(values, str) else [value]:
            name, _, rest = part.partition("=")
            name = name if name.startswith("ulakbel_") else "ulakbel_" + name
            v = rest.split(";", 1)[0]
            if "Max-Age=0" in rest:
                jar.pop(name, None)
            else:
                jar[name] = v
    return jar


def header(jar: dict[str, str]) -> dict[str, str]:
    return {**HOST, "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


def sign_in(prod, email="park-sefi@talas.bel.tr") -> dict[str, str]:
    client, hosted = prod["client"], prod["hosted"]
    jar: dict[str, str] = {}
    start = client.http.get("/console/login/start", headers=HOST)
    cookie_jar(start, jar)
    callback = hosted.authorize(start.headers["Location"], email)
    path = callback.removeprefix("http://127.0.0.1:8000")
    done = client.http.get(path, headers=header(jar))
    assert done.status_code == 200, text_of(done.body)
    assert 'content="0;url=/console"' in text_of(done.body)
    cookie_jar(done, jar)
    assert set(jar) == {"ulakbel_session", "ulakbel_refresh"}
    return jar


def test_authorization_code_flow_with_pkce_signs_staff_in(prod):
    jar = sign_in(prod)
    exchange = prod["hosted"].requests[-1]
    assert exchange["grant_type"] == "authorization_code" and len(exchange["code_verifier"]) >= 43
    claims = jwt.decode(jar["ulakbel_session"], options={"verify_signature": False})
    assert claims["token_use"] == "id" and claims["aud"] == prod["pool"].client_id
    inbox = prod["client"].http.get("/console", headers=header(jar))
    assert inbox.status_code == 200 and "park" in text_of(inbox.body)


def test_callback_refuses_wrong_state_reused_code_wrong_verifier_and_errors(prod):
    client, hosted = prod["client"], prod["hosted"]
    start = client.http.get("/console/login/start", headers=HOST)
    jar = cookie_jar(start, {})
    callback = hosted.authorize(start.headers["Location"], "park-sefi@talas.bel.tr").removeprefix(
        "http://127.0.0.1:8000")
    forged_state = callback.split("&state=")[0] + "&state=attacker"
    r = client.http.get(forged_state, headers=header(jar))
    assert r.status_code == 401 and "ulakbel_session" not in str(r.headers.get("Set-Cookie"))
    r = client.http.get(callback, headers=HOST)  # no PKCE cookie (another browser): refused
    assert r.status_code == 401
    # The PKCE cookie of another attempt: the token endpoint sees a verifier that does not match
    other = cookie_jar(client.http.get("/console/login/start", headers=HOST), {})
    state = callback.split("&state=")[1]
    other["ulakbel_pkce"] = state + "." + other["ulakbel_pkce"].split(".", 1)[1]
    r = client.http.get(callback, headers=header(other))
    assert r.status_code == 401 and "invalid_grant" in text_of(r.body)
    r = client.http.get("/console/callback?error=access_denied&state=x", headers=header(jar))
    assert r.status_code == 401


def test_dev_tokens_are_refused_by_the_console_on_prod_even_with_a_dev_key_set(prod):
    from tests.conftest import token

    client = prod["client"]
    page = client.http.get("/console/login", headers=HOST)
    assert 'name="token"' not in text_of(page.body)  # no paste form outside local/test
    assert 'href="/console/login/start"' in text_of(page.body)
    nonce = "n" * 32  # a well-formed sign-in form post with a pasted dev token
    r = form_post(client, "/console/login", {**HOST, "Cookie": f"ulakbel_login={nonce}"},
                  {"token": token("admin"), "csrf": nonce})
    assert r.status_code == 401 and "ulakbel_session" not in str(r.headers.get("Set-Cookie"))
    r = client.http.get(f"/console/login?token={token('admin')}", headers=HOST)
    assert "ulakbel_session" not in str(r.headers.get("Set-Cookie"))
    r = client.http.get("/console", headers={**HOST, "Cookie": f"ulakbel_session={token('admin')}"})
    assert r.status_code == 303 and r.headers["Location"] == "/console/login"
    r = client.http.get("/requests", headers={"Authorization": f"Bearer {token('admin')}"})
    assert r.status_code == 401


def test_session_is_renewed_before_the_id_token_expires_and_a_reply_form_survives_it(prod):
    client, clock = prod["client"], prod["clock"]
    jar = sign_in(prod)
    first = jar["ulakbel_session"]
    exp = jwt.decode(first, options={"verify_signature": False})["exp"]
    page = client.http.get("/console", headers=header(jar))
    assert page.status_code == 200 and "Set-Cookie" not in page.headers  # plenty of time left: no renewal
    csrf = hidden(text_of(page.body), "csrf")

    clock.now = exp - 120  # two minutes left: the next request renews the session
    renewed = client.http.get("/console", headers=header(jar))
    assert renewed.status_code == 200
    cookie_jar(renewed, jar)
    assert jar["ulakbel_session"] != first and prod["hosted"].requests[-1]["grant_type"] == "refresh_token"
    new_claims = jwt.decode(jar["ulakbel_session"], options={"verify_signature": False})
    assert new_claims["aud"] == prod["pool"].client_id and new_claims["exp"] > clock.now
    # the form rendered before the renewal still submits after it (CSRF is bound to the refresh token)
    r = form_post(client, "/console/logout", header(jar), {"csrf": csrf})
    assert r.status_code == 303 and "ulakbel_refresh=;" in str(r.headers["Set-Cookie"])
    # signing out revokes the refresh token and ends the hosted UI's session too
    assert prod["hosted"].requests[-1] == {"token": jar["ulakbel_refresh"], "client_id": prod["pool"].client_id}
    assert r.headers["Location"] == (f"{prod['hosted'].base}/logout?client_id={prod['pool'].client_id}"
                                     "&logout_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fconsole%2Flogin")
    clock.now = exp - 60  # the revoked refresh token renews nothing: back to sign-in once the hour is up
    r = client.http.get("/console", headers=header(jar))
    assert "ulakbel_session" not in str(r.headers.get("Set-Cookie"))


def test_an_expired_session_without_a_refresh_token_goes_back_to_sign_in(prod):
    client, clock = prod["client"], prod["clock"]
    jar = sign_in(prod)
    exp = jwt.decode(jar["ulakbel_session"], options={"verify_signature": False})["exp"]
    clock.now = exp + 1
    r = client.http.get("/console", headers={**HOST, "Cookie": f"ulakbel_session={jar['ulakbel_session']}"})
    assert r.status_code == 303 and r.headers["Location"] == "/console/login"
    # a revoked refresh token: no renewal, back to sign-in as well
    jar["ulakbel_refresh"] = "revoked"
    before = len(prod["hosted"].requests)
    r = client.http.get("/console", headers=header(jar))
    assert r.status_code == 303 and r.headers["Location"] == "/console/login"
    assert len(prod["hosted"].requests) == before + 1  # one refresh attempt for a genuine (expired) session
    # a forged session cookie next to a refresh cookie costs no call to the token endpoint
    for forged in ("garbage", jwt.encode({"exp": 1}, "k" * 32, algorithm="HS256")):
        r = client.http.get("/console", headers={**HOST, "Cookie": f"ulakbel_session={forged}; ulakbel_refresh=x"})
        assert r.status_code == 303
    assert len(prod["hosted"].requests) == before + 1
