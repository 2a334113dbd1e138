from __future__ import annotations

import time

import jwt
import pytest

from chalicelib.auth import TokenVerifier, issue_dev_token
from chalicelib.domain.errors import Forbidden, Unauthenticated

KEY = "k" * 40


def test_dev_token_round_trip_carries_the_claims():
    tok = issue_dev_token(KEY, role="department", department="park", sub="ahmet", lead=True)
    p = TokenVerifier(dev_signing_key=KEY).verify(f"Bearer {tok}")
    assert (p.role, p.department, p.sub, p.lead) == ("department", "park", "ahmet", True)
    assert p.can_see_department("park") and not p.can_see_department("fen")
    with pytest.raises(Forbidden):
        p.require("admin")


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer not-a-jwt"])
def test_missing_or_garbage_tokens_are_401(header):
    with pytest.raises(Unauthenticated):
        TokenVerifier(dev_signing_key=KEY).verify(header)


def test_wrong_key_expired_and_roleless_tokens_are_refused():
    v = TokenVerifier(dev_signing_key=KEY)
    with pytest.raises(Unauthenticated):
        v.verify("Bearer " + issue_dev_token("x" * 40, role="admin"))
    expired = jwt.encode({"sub": "a", "role": "admin", "exp": int(time.time()) - 10}, KEY, algorithm="HS256")
    with pytest.raises(Unauthenticated, match="expired"):
        v.verify("Bearer " + expired)
    roleless = jwt.encode({"sub": "a", "exp": int(time.time()) + 60}, KEY, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        v.verify("Bearer " + roleless)
    with pytest.raises(Unauthenticated):  # dev tokens are not accepted where no dev key is configured (AWS)
        TokenVerifier(dev_signing_key=None).verify("Bearer " + issue_dev_token(KEY, role="admin"))


def test_cognito_rs256_tokens_with_groups():
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True) | {"kid": "k1", "alg": "RS256"}
    issuer = "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_test"
    fetched = []
    v = TokenVerifier(dev_signing_key=None, stage="prod", cognito_issuer=issuer, cognito_audience="client-1",
                      jwks_fetch=lambda url: fetched.append(url) or {"keys": [jwk]})
    tok = jwt.encode({"sub": "u1", "iss": issuer, "exp": int(time.time()) + 60, "token_use": "id", "aud": "client-1",
                      "cognito:groups": ["role-department", "dept-fen", "lead"]}, private, algorithm="RS256",
                     headers={"kid": "k1"})
    p = v.verify("Bearer " + tok)
    assert (p.role, p.department, p.lead) == ("department", "fen", True)
    assert fetched == [issuer + "/.well-known/jwks.json"]
