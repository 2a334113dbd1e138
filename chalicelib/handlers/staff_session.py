"""The console session: the user pool's id token in an HttpOnly cookie, renewed with the refresh token
before it expires, so staff are not signed out in the middle of a reply when the id token's hour is up.

The refresh token lives in its own HttpOnly, SameSite=Strict cookie scoped to /console, and is also what the
console's CSRF tokens are bound to: it stays the same while the id token is renewed, so a form rendered
before a renewal still submits after it.
"""
from __future__ import annotations

from typing import Any

from .. import container

SESSION_COOKIE = "ulakbel_session"
REFRESH_COOKIE = "ulakbel_refresh"
REFRESH_MARGIN_SECONDS = 300  # renew when the id token has less than this left
SESSION_SECONDS = 12 * 3600


def cookies(request) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    try:
        jar.load(request.headers.get("cookie") or "")
    except Exception:
        return {}
    return {k: m.value for k, m in jar.items()}


def session_token(request) -> str | None:
    return cookies(request).get(SESSION_COOKIE) or None


def is_local(request) -> bool:
    host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1")


def cookie(request, name: str, value: str, max_age: int, *, path: str = "/", same_site: str = "Strict") -> str:
    parts = [f"{name}={value}", f"Path={path}", "HttpOnly", f"SameSite={same_site}", f"Max-Age={max_age}"]
    if not is_local(request):
        parts.append("Secure")
    return "; ".join(parts)


def session_cookies(request, id_token: str, refresh_token: str | None) -> list[str]:
    out = [cookie(request, SESSION_COOKIE, id_token, SESSION_SECONDS)]
    if refresh_token:
        out.append(cookie(request, REFRESH_COOKIE, refresh_token, SESSION_SECONDS, path="/console"))
    return out


def cleared_cookies(request) -> list[str]:
    return [cookie(request, SESSION_COOKIE, "", 0), cookie(request, REFRESH_COOKIE, "", 0, path="/console")]


def _expires_at(token: str) -> float | None:
    import jwt

    try:
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except jwt.PyJWTError:
        return None
    return float(exp) if isinstance(exp, (int, float)) else None


def renewed(request, token: str | None) -> tuple[str | None, list[str]]:
    """(token to verify for this request, Set-Cookie headers). Renews the id token with the refresh cookie
    when it has less than REFRESH_MARGIN_SECONDS left; on any failure the old token goes on to the verifier
    (and an expired one is a 401 → sign-in page)."""
    refresh = cookies(request).get(REFRESH_COOKIE)
    if not token or not refresh:
        return token, []
    exp = _expires_at(token)
    if exp is not None and exp - container.clock()() > REFRESH_MARGIN_SECONDS:
        return token, []
    oauth = container.cognito_oauth()
    if not oauth.configured or not container.token_verifier().renewable(token, expired_up_to_seconds=SESSION_SECONDS):
        return token, []
    from ..domain.errors import Unauthenticated

    try:
        tokens = oauth.refresh(refresh)
    except Unauthenticated:
        return token, []
    return tokens.id_token, session_cookies(request, tokens.id_token, tokens.refresh_token)


def add_cookies(response: Any, set_cookies: list[str]) -> Any:
    if not set_cookies:
        return response
    existing = response.headers.get("Set-Cookie")
    values = ([existing] if isinstance(existing, str) else list(existing or [])) + set_cookies
    response.headers["Set-Cookie"] = values if len(values) > 1 else values[0]
    return response


def csrf_basis(request) -> str:
    """What the console's CSRF tokens are an HMAC of: the refresh token when there is one (stable across
    renewals), else the session token (dev sign-in)."""
    jar = cookies(request)
    return jar.get(REFRESH_COOKIE) or jar.get(SESSION_COOKIE) or ""
