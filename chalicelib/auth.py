"""Who is calling: bearer tokens to a Principal. One verifier for dev HS256 tokens and Cognito RS256 tokens.

Domain code receives a Principal and never sees tokens.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from .domain.errors import Forbidden, Unauthenticated

ROLES = ("admin", "agent", "department", "viewer")
STAFF_READ_ALL = frozenset({"admin", "agent", "viewer"})


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


def _principal_from_claims(claims: dict[str, Any]) -> Principal:
    groups = claims.get("cognito:groups") or []
    role = claims.get("role") or claims.get("custom:role")
    department = claims.get("department") or claims.get("custom:department")
    for group in groups:  # Cognito groups: "role-department", "dept-park", "lead"
        if group.startswith("role-") and not role:
            role = group[5:]
        elif group.startswith("dept-") and not department:
            department = group[5:]
    lead = bool(claims.get("lead") or claims.get("custom:lead") in ("true", "1") or "lead" in groups)
    if role not in ROLES:
        raise Unauthenticated("Jetonda geçerli bir rol yok / the token carries no valid role")
    if role == "department" and not department:
        raise Unauthenticated("Birim rolü için 'department' gerekli / role 'department' needs a department claim")
    return Principal(sub=str(claims.get("sub", "")), role=role, department=department, lead=lead,
                     name=claims.get("name"))


class TokenVerifier:
    def __init__(
        self,
        *,
        dev_signing_key: str | None,
        cognito_issuer: str | None = None,
        cognito_audience: str | None = None,
        jwks_fetch: Callable[[str], dict[str, Any]] | None = None,
    ) -> None:
        self._dev_key = dev_signing_key
        self._issuer = cognito_issuer
        self._audience = cognito_audience
        self._jwks_fetch = jwks_fetch
        self._jwks: dict[str, Any] | None = None

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
                if not self._dev_key:
                    raise Unauthenticated("Geliştirme jetonları bu ortamda kabul edilmez / dev tokens not accepted")
                claims = jwt.decode(token, self._dev_key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
            elif header.get("alg") == "RS256" and self._issuer:
                key = self._signing_key(header.get("kid"))
                claims = jwt.decode(token, key, algorithms=["RS256"], issuer=self._issuer,
                                    audience=self._audience, options={"verify_aud": bool(self._audience)})
            else:
                raise Unauthenticated("Jeton türü desteklenmiyor / unsupported token algorithm")
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("Oturumun süresi doldu / the token has expired") from None
        except jwt.PyJWTError:
            raise Unauthenticated("Jeton doğrulanamadı / the token could not be verified") from None
        return _principal_from_claims(claims)

    def _signing_key(self, kid: str | None) -> Any:
        import jwt

        if self._jwks is None:
            if self._jwks_fetch is None:
                raise Unauthenticated("JWKS yapılandırılmamış / no JWKS configured")
            self._jwks = self._jwks_fetch(f"{self._issuer}/.well-known/jwks.json")
        for jwk in self._jwks.get("keys", []):
            if jwk.get("kid") == kid:
                return jwt.PyJWK(jwk).key
        raise Unauthenticated("Jeton anahtarı bulunamadı / unknown signing key")


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
