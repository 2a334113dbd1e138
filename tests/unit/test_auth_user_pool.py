"""Staff tokens outside local/test: RS256 tokens of a Cognito user pool (moto), verified with the pool's
JWKS as moto serves it; HS256 dev tokens refused whatever keys are set."""
from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.auth import TokenVerifier, issue_dev_token, user_pool_jwks_url
from chalicelib.domain.errors import Unauthenticated
from tests.support.user_pool import create_pool

KEY = "k" * 40


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pool(moto_server):
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10)
    p = create_pool(moto_server)
    p.add_user("park-sefi@talas.bel.tr", "department", "park", lead=True)
    p.add_user("beyaz-masa@talas.bel.tr", "agent")
    return p


def verifier(pool, clock=None, fetch=None, stage="prod", **kw) -> TokenVerifier:
    import time

    return TokenVerifier(dev_signing_key=kw.pop("dev_signing_key", None), stage=stage, cognito_issuer=pool.issuer,
                         cognito_audience=kw.pop("audience", pool.client_id), jwks_fetch=fetch or pool.fetch_jwks,
                         jwks_url=user_pool_jwks_url(pool.issuer, pool.endpoint), clock=clock or time.time, **kw)


def test_id_and_access_tokens_of_the_pool_map_groups_to_the_principal(pool):
    tokens = pool.sign_in("park-sefi@talas.bel.tr")
    v = verifier(pool)
    for tok in (tokens["IdToken"], tokens["AccessToken"]):
        p = v.verify("Bearer " + tok)
        assert (p.role, p.department, p.lead) == ("department", "park", True)
        assert p.sub == jwt.decode(tok, options={"verify_signature": False})["sub"]
    assert pool.fetched == [f"{pool.endpoint}/{pool.pool_id}/.well-known/jwks.json"]  # fetched once, cached


@pytest.mark.parametrize("stage", ["prod", "dev", "staging"])
def test_hs256_dev_tokens_are_refused_outside_local_and_test_whatever_keys_are_set(pool, stage):
    dev = issue_dev_token(KEY, role="admin")
    with pytest.raises(Unauthenticated, match="dev tokens are not accepted"):
        verifier(pool, stage=stage, dev_signing_key=KEY).verify("Bearer " + dev)
    # An HS256 token keyed with the pool's *public* key (algorithm confusion) is refused as well.
    from cryptography.hazmat.primitives import serialization

    public = jwt.PyJWK(pool.fetch_jwks(pool.jwks_url)["keys"][0], algorithm="RS256").key
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    import hashlib
    import hmac
    import base64
    import json

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(
        {"sub": "x", "role": "admin", "exp": 2_000_000_000, "cognito:groups": ["role-admin"]}).encode())
    confused = signing_input + "." + b64(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())
    with pytest.raises(Unauthenticated):
        verifier(pool, stage=stage, dev_signing_key=pem.decode()).verify("Bearer " + confused)
    # ...while the same dev token still works on the local/test stages
    assert verifier(pool, stage="local", dev_signing_key=KEY).verify("Bearer " + dev).role == "admin"
    assert verifier(pool, stage="test", dev_signing_key=KEY).verify("Bearer " + dev).role == "admin"


def test_a_token_of_another_pool_is_refused_by_issuer(pool, moto_server):
    from tests.support.user_pool import create_pool as another

    other = another(moto_server, stage="dev")  # moto signs every pool with the same key: only `iss` differs
    other.add_user("x@talas.bel.tr", "admin")
    tok = other.sign_in("x@talas.bel.tr")["IdToken"]
    v = TokenVerifier(dev_signing_key=None, stage="prod", cognito_issuer=pool.issuer, cognito_audience=other.client_id,
                      jwks_fetch=pool.fetch_jwks, jwks_url=pool.jwks_url)
    with pytest.raises(Unauthenticated, match="could not be verified"):
        v.verify("Bearer " + tok)


def test_tokens_issued_to_another_app_client_are_refused(pool):
    other_client = pool.add_client("someone-elses-app")
    tokens = pool.sign_in("beyaz-masa@talas.bel.tr", client_id=other_client)
    v = verifier(pool)
    for tok in (tokens["IdToken"], tokens["AccessToken"]):  # id token: aud; access token: client_id
        with pytest.raises(Unauthenticated, match="not issued to this app"):
            v.verify("Bearer " + tok)
    with pytest.raises(Unauthenticated, match="not issued to this app"):  # no audience configured: refuse
        verifier(pool, audience=None).verify("Bearer " + pool.sign_in("beyaz-masa@talas.bel.tr")["IdToken"])


def test_expiry_is_checked_with_the_injected_clock(pool):
    tok = pool.sign_in("beyaz-masa@talas.bel.tr")["IdToken"]
    exp = jwt.decode(tok, options={"verify_signature": False})["exp"]
    assert verifier(pool, clock=Clock(exp - 1)).verify("Bearer " + tok).role == "agent"
    with pytest.raises(Unauthenticated, match="expired"):
        verifier(pool, clock=Clock(exp)).verify("Bearer " + tok)


def _sign(private, kid: str, claims: dict) -> str:
    return jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


def _claims(pool, **extra) -> dict:
    return {"sub": "u-1", "iss": pool.issuer, "aud": pool.client_id, "token_use": "id", "exp": 2_000_000_000,
            "cognito:groups": ["role-admin"], **extra}


def test_unknown_kid_refreshes_the_jwks_once_then_a_rotated_key_is_accepted(pool):
    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    new_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(new_key.public_key(), as_dict=True) | {
        "kid": "rotated-2", "alg": "RS256", "use": "sig"}
    rotated = {"done": False}

    def fetch(url):  # moto's JWKS, plus the new key once the pool "rotates"
        keys = pool.fetch_jwks(url)
        if rotated["done"]:
            keys = {"keys": keys["keys"] + [new_jwk]}
        return keys

    issued = pool.sign_in("beyaz-masa@talas.bel.tr")["IdToken"]
    clock = Clock(jwt.decode(issued, options={"verify_signature": False})["iat"])
    v = verifier(pool, clock=clock, fetch=fetch)
    assert v.verify("Bearer " + issued).role == "agent"
    assert v.jwks.fetches == 1
    tok = _sign(new_key, "rotated-2", _claims(pool))
    with pytest.raises(Unauthenticated, match="unknown signing key"):  # right after a fetch: no refetch
        v.verify("Bearer " + tok)
    assert v.jwks.fetches == 1
    clock.now += 61
    with pytest.raises(Unauthenticated, match="unknown signing key"):  # not rotated yet: one refetch, refused
        v.verify("Bearer " + tok)
    assert v.jwks.fetches == 2
    for _ in range(20):  # a flood of unknown kids within the minute: no further fetch
        with pytest.raises(Unauthenticated):
            v.verify("Bearer " + _sign(new_key, "forged-kid", _claims(pool)))
    assert v.jwks.fetches == 2
    rotated["done"] = True
    clock.now += 61  # key rotation without a cold start: the next unknown kid refetches once
    assert v.verify("Bearer " + tok).role == "admin"
    assert v.jwks.fetches == 3
    assert v.verify("Bearer " + tok).role == "admin" and v.jwks.fetches == 3  # now cached


def test_a_token_signed_by_another_key_under_the_pools_kid_is_refused(pool):
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = pool.fetch_jwks(pool.jwks_url)["keys"][0]["kid"]
    with pytest.raises(Unauthenticated, match="could not be verified"):
        verifier(pool).verify("Bearer " + _sign(attacker, kid, _claims(pool)))


def test_unsigned_and_roleless_tokens_and_self_set_attributes_are_refused(pool):
    unsigned = jwt.encode(_claims(pool), None, algorithm="none")
    with pytest.raises(Unauthenticated):
        verifier(pool).verify("Bearer " + unsigned)
    # A user-editable claim (custom attribute) never grants a role: only groups, which administrators set.
    pool.idp.admin_create_user(UserPoolId=pool.pool_id, Username="self@talas.bel.tr", MessageAction="SUPPRESS",
                               UserAttributes=[{"Name": "email", "Value": "self@talas.bel.tr"}])
    pool.idp.admin_set_user_password(UserPoolId=pool.pool_id, Username="self@talas.bel.tr",
                                     Password="Correct-Horse-Battery-9", Permanent=True)
    tok = pool.sign_in("self@talas.bel.tr")["IdToken"]
    with pytest.raises(Unauthenticated, match="no valid role"):
        verifier(pool).verify("Bearer " + tok)


def test_unreachable_jwks_is_401_not_500_and_is_not_refetched_per_request(pool):
    calls = []
    up = {"ok": False}

    def flaky(url):
        calls.append(url)
        if not up["ok"]:
            raise OSError("connection refused")
        return pool.fetch_jwks(url)

    tok = pool.sign_in("beyaz-masa@talas.bel.tr")["IdToken"]
    clock = Clock(jwt.decode(tok, options={"verify_signature": False})["iat"])
    v = verifier(pool, fetch=flaky, clock=clock)
    for _ in range(10):
        with pytest.raises(Unauthenticated, match="could not be fetched"):
            v.verify("Bearer " + tok)
    assert len(calls) == 1  # a flood while the JWKS is down: one fetch
    up["ok"] = True
    clock.now += 5
    assert v.verify("Bearer " + tok).role == "agent" and len(calls) == 2


def test_jwks_url_is_the_issuer_in_aws_and_the_endpoint_on_the_embedded_aws():
    issuer = "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc"
    assert user_pool_jwks_url(issuer) == issuer + "/.well-known/jwks.json"
    assert user_pool_jwks_url(issuer, "http://127.0.0.1:5000") == \
        "http://127.0.0.1:5000/eu-central-1_abc/.well-known/jwks.json"
