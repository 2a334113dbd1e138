"""Who is calling: bearer tokens to a Principal. One verifier for dev HS256 tokens and Cognito RS256 tokens.

Domain code receives a Principal and never sees tokens.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .domain.errors import Forbidden, Unauthenticated

ROLES = ("admin", "agent", "department", "viewer")
STAFF_READ_ALL = frozenset({"admin", "agent", "viewer"})
DEV_TOKEN_STAGES = ("local", "test")  # HS256 dev tokens: nowhere else, whatever keys are set
JWKS_MIN_REFRESH_SECONDS = 60.0
JWKS_FAILED_RETRY_SECONDS = 5.0  # while the JWKS cannot be fetched at all, retry at most this often


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    department: str | None = None
    lead: bool = False
    name: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.sub}"

    def can_see_department(self, department: str | None) -> bool:
        if self.role in STAFF_READ_ALL:
            return True
        return self.role == "department" and department is not None and department == self.department

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden(
                f"Bu işlem için yetkiniz yok (gereken rol: {', '.join(roles)}) / "
                f"this action needs one of the roles: {', '.join(roles)}"
            )


def user_pool_groups() -> list[str]:
    """The groups the verifier maps to a Principal: role-<role>, dept-<department code>, lead."""
    from .domain.departments import municipality

    return [f"role-{r}" for r in ROLES] + [f"dept-{c}" for c in municipality().codes] + ["lead"]


def user_pool_groups_for(role: str, department: str | None = None, lead: bool = False) -> list[str]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "department" and not department:
        raise ValueError("role 'department' needs --department")
    groups = [f"role-{role}"] + ([f"dept-{department}"] if department else []) + (["lead"] if lead else [])
    unknown = sorted(set(groups) - set(user_pool_groups()))
    if unknown:
        raise ValueError(f"unknown department: {department}")
    return groups


def _principal_from_claims(claims: dict[str, Any], *, from_user_pool: bool = False) -> Principal:
    """Dev tokens carry role/department/lead claims. User-pool tokens are mapped from `cognito:groups` only:
    groups are set by administrators, whereas a user may be able to edit their own custom attributes."""
    groups = claims.get("cognito:groups") or []
    role = department = None
    lead = "lead" in groups
    if not from_user_pool:
        role, department = claims.get("role"), claims.get("department")
        lead = lead or bool(claims.get("lead"))
    for group in groups:  # Cognito groups: "role-department", "dept-park", "lead"
        if group.startswith("role-") and not role:
            role = group[5:]
        elif group.startswith("dept-") and not department:
            department = group[5:]
    if role not in ROLES:
        raise Unauthenticated("Jetonda geçerli bir rol yok / the token carries no valid role")
    if role == "department" and not department:
        raise Unauthenticated("Birim rolü için 'department' gerekli / role 'department' needs a department claim")
    return Principal(sub=str(claims.get("sub", "")), role=role, department=department, lead=lead,
                     name=claims.get("name"))


class JwksCache:
    """The user pool's signing keys by `kid`. An unknown `kid` refetches the JWKS once (keys rotate without a
    cold start), but at most once per `min_refresh_seconds`, so a flood of forged `kid`s cannot turn every
    request into a fetch."""

    def __init__(self, url: str, fetch: Callable[[str], dict[str, Any]], *, clock: Callable[[], float] = time.time,
                 min_refresh_seconds: float = JWKS_MIN_REFRESH_SECONDS) -> None:
        self.url = url
        self._fetch = fetch
        self._clock = clock
        self._min_refresh = min_refresh_seconds
        self._keys: dict[str, Any] | None = None
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()
        self.fetches = 0

    def _load(self) -> None:
        import jwt

        self._fetched_at = self._clock()
        self.fetches += 1
        document = self._fetch(self.url)
        keys: dict[str, Any] = {}
        for jwk in document.get("keys", []):
            if jwk.get("kid") and jwk.get("kty") == "RSA" and jwk.get("use", "sig") == "sig":
                keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm="RS256").key
        self._keys = keys

    def key(self, kid: str | None) -> Any:
        if not kid:
            raise Unauthenticated("Jeton anahtarı belirtilmemiş / the token names no signing key")
        with self._lock:
            since = self._clock() - self._fetched_at
            if ((self._keys is None and since >= min(JWKS_FAILED_RETRY_SECONDS, self._min_refresh))
                    or (self._keys is not None and kid not in self._keys and since >= self._min_refresh)):
                try:
                    self._load()
                except Exception:  # the pool's JWKS is unreachable: cannot verify → 401, never a 5xx
                    self._keys = None
            if self._keys is None:
                raise Unauthenticated("Kimlik anahtarları alınamadı / the signing keys could not be fetched")
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("Jeton anahtarı bulunamadı / unknown signing key")
        return key


def user_pool_jwks_url(issuer: str, aws_endpoint: str | None = None) -> str:
    """Where the pool publishes its keys: `<issuer>/.well-known/jwks.json` in AWS; on the embedded AWS (moto,
    AWS_ENDPOINT_URL) the same path under the endpoint, `<endpoint>/<pool-id>/.well-known/jwks.json`."""
    if aws_endpoint:
        return f"{aws_endpoint.rstrip('/')}/{issuer.rstrip('/').rsplit('/', 1)[-1]}/.well-known/jwks.json"
    return f"{issuer.rstrip('/')}/.well-known/jwks.json"


class TokenVerifier:
    """HS256 dev tokens on the local/test stages only; everywhere else RS256 tokens of the user pool, checked
    for signature (JWKS), issuer, client (id token `aud`, access token `client_id`), token use and expiry."""

    def __init__(
        self,
        *,
        dev_signing_key: str | None,
        stage: str = "local",
        cognito_issuer: str | None = None,
        cognito_audience: str | None = None,
        jwks_fetch: Callable[[str], dict[str, Any]] | None = None,
        jwks_url: str | None = None,
        clock: Callable[[], float] = time.time,
        jwks_min_refresh_seconds: float = JWKS_MIN_REFRESH_SECONDS,
    ) -> None:
        self._dev_key = dev_signing_key if stage in DEV_TOKEN_STAGES else None
        self._stage = stage
        self._issuer = (cognito_issuer or "").rstrip("/") or None
        self._audience = cognito_audience
        self._clock = clock
        self.jwks: JwksCache | None = None
        if self._issuer and jwks_fetch is not None:
            self.jwks = JwksCache(jwks_url or user_pool_jwks_url(self._issuer), jwks_fetch, clock=clock,
                                  min_refresh_seconds=jwks_min_refresh_seconds)

    def verify(self, authorization: str | None) -> Principal:
        import jwt

        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthenticated(
                "Oturum açın: 'Authorization: Bearer <jeton>' başlığı gerekli / "
                "sign in: an 'Authorization: Bearer <token>' header is required"
            )
        token = authorization.split(" ", 1)[1].strip()
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") == "HS256":
                if self._stage not in DEV_TOKEN_STAGES or not self._dev_key:
                    raise Unauthenticated("Geliştirme jetonları bu ortamda kabul edilmez / dev tokens are not "
                                          "accepted on this stage")
                claims = jwt.decode(token, self._dev_key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
                return _principal_from_claims(claims)
            if header.get("alg") == "RS256" and self._issuer and self.jwks is not None:
                return _principal_from_claims(self._user_pool_claims(token, header), from_user_pool=True)
            raise Unauthenticated("Jeton türü desteklenmiyor / unsupported token algorithm")
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("Oturumun süresi doldu / the token has expired") from None
        except jwt.PyJWTError:
            raise Unauthenticated("Jeton doğrulanamadı / the token could not be verified") from None

    def renewable(self, token: str, *, expired_up_to_seconds: float) -> bool:
        """A genuine user-pool token of this app (signature, issuer, client) that is valid or expired no longer
        than `expired_up_to_seconds` ago: only such a session is renewed with its refresh token, so a forged
        session cookie cannot make each request cost a call to the token endpoint."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "RS256" or not self._issuer or self.jwks is None:
                return False
            self._user_pool_claims(token, header, grace=expired_up_to_seconds)
        except (jwt.PyJWTError, Unauthenticated):
            return False
        return True

    def _user_pool_claims(self, token: str, header: dict[str, Any], grace: float = 0.0) -> dict[str, Any]:
        import jwt

        key = self.jwks.key(header.get("kid"))  # type: ignore[union-attr]
        claims = jwt.decode(token, key, algorithms=["RS256"], issuer=self._issuer,
                            options={"verify_aud": False, "verify_exp": False, "verify_iat": False,
                                     "verify_nbf": False, "require": ["exp", "iss", "sub", "token_use"]})
        if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + grace <= self._clock():
            raise Unauthenticated("Oturumun süresi doldu / the token has expired")
        use = claims.get("token_use")
        client = claims.get("aud") if use == "id" else claims.get("client_id") if use == "access" else None
        if not self._audience or client != self._audience:
            raise Unauthenticated("Jeton bu uygulama için verilmemiş / the token was not issued to this app")
        return claims

def issue_dev_token(
    signing_key: str,
    *,
    role: str,
    department: str | None = None,
    sub: str | None = None,
    lead: bool = False,
    name: str | None = None,
    ttl_seconds: int = 12 * 3600,
) -> str:
    import jwt

    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "department" and not department:
        raise ValueError("role 'department' needs --department")
    now = int(time.time())
    claims: dict[str, Any] = {"sub": sub or f"{role}-{department or 'user'}", "role": role, "iat": now,
                              "exp": now + ttl_seconds, "iss": "ulakbel-dev"}
    if department:
        claims["department"] = department
    if lead:
        claims["lead"] = True
    if name:
        claims["name"] = name
    return jwt.encode(claims, signing_key, algorithm="HS256")
