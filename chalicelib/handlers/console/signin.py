"""Console sign-in and sign-out.

local/test stages: a pasted dev token (or the link `ulakbel dev` prints). Every other stage: the user pool's
hosted UI with the authorization-code flow and PKCE; HS256 dev tokens are refused by the verifier there.
"""
from __future__ import annotations

import hmac
import secrets

from chalice import Response

from ... import container
from ...domain.errors import Forbidden, InvalidInput, Unauthenticated
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import SESSION_COOKIE, cookies, endpoint, query_params
from ..staff_session import SESSION_SECONDS, cleared_cookies, cookie, session_cookies
from .page import bp, check_csrf, form, html, page_error, redirect, render

LOGIN_COOKIE = "ulakbel_login"
PKCE_COOKIE = "ulakbel_pkce"


def dev_sign_in_allowed() -> bool:
    from ...auth import DEV_TOKEN_STAGES

    return container.settings().stage in DEV_TOKEN_STAGES


def _sign_in(request, token: str) -> Response:
    principal = container.token_verifier().verify(f"Bearer {token}")  # raises Unauthenticated (→ 401)
    del principal
    return redirect("/console", {"Set-Cookie": cookie(request, SESSION_COOKIE, token, SESSION_SECONDS)})


def _login_page(request, flash: str | None = None, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(24)
    oauth = container.cognito_oauth()
    return html(render("login.html", principal=None, csrf=nonce, flash=flash, flash_kind="error" if flash else None,
                       cognito_url="/console/login/start" if oauth.configured else None,
                       dev_sign_in=dev_sign_in_allowed()), status,
                headers={"Set-Cookie": cookie(request, LOGIN_COOKIE, nonce, 3600)})


def _login_error(status: int, code: str, message: str) -> Response:
    if status == 401:
        return html(render("login.html", principal=None, csrf="", flash=message, flash_kind="error",
                           cognito_url="/console/login/start" if container.cognito_oauth().configured else None,
                           dev_sign_in=dev_sign_in_allowed()), 401)
    return page_error(status, code, message)


@endpoint(bp, "/console/login", ["GET"], auth=False, on_error=_login_error)
def login_page(principal, request):
    params = query_params(request)
    if params.get("token") and dev_sign_in_allowed():
        return _sign_in(request, params["token"].strip())  # the link `ulakbel dev` prints (local stage only)
    return _login_page(request)


def _callback_url() -> str:
    return f"{container.settings().public_base_url}/console/callback"


@endpoint(bp, "/console/login/start", ["GET"], auth=False, on_error=_login_error)
def login_start(principal, request):
    """Start the authorization-code flow: a fresh state and PKCE verifier in a short-lived HttpOnly cookie
    (SameSite=Lax: it must come back on the hosted UI's cross-site redirect to /console/callback)."""
    oauth = container.cognito_oauth()
    if not oauth.configured:
        raise Unauthenticated(both("login.not_configured"))
    verifier, challenge = container.pkce_pair()
    state = secrets.token_urlsafe(24)
    location = oauth.authorize_url(redirect_uri=_callback_url(), state=state, code_challenge=challenge)
    return redirect(location, {"Set-Cookie": cookie(request, PKCE_COOKIE, f"{state}.{verifier}", 600,
                                                    path="/console", same_site="Lax")})


@endpoint(bp, "/console/callback", ["GET"], auth=False, on_error=_login_error)
def cognito_callback(principal, request):
    """The hosted UI sends the browser back with ?code&state: the code is exchanged (with the PKCE verifier)
    for the pool's tokens server-side; the id token becomes the session, the refresh token renews it."""
    params = query_params(request)
    clear_pkce = cookie(request, PKCE_COOKIE, "", 0, path="/console", same_site="Lax")
    state, _, verifier = cookies(request).get(PKCE_COOKIE, "").partition(".")
    if params.get("error"):
        raise Unauthenticated(both("err.sign_in_refused", reason=params["error"][:60]))
    if not state or not verifier or not hmac.compare_digest(state, params.get("state", "")):
        raise Unauthenticated(both("err.sign_in_expired"))
    if not params.get("code"):
        raise Unauthenticated(both("err.sign_in_code"))
    tokens = container.cognito_oauth().exchange_code(code=params["code"], redirect_uri=_callback_url(),
                                                     code_verifier=verifier)
    container.token_verifier().verify(f"Bearer {tokens.id_token}")  # raises Unauthenticated (→ 401)
    # A page (not a redirect) continues to /console: the session cookie is SameSite=Strict, and a redirect
    # chain that began on the hosted UI's site would not send it.
    return html(render("callback.html", principal=None, csrf=""),
                headers={"Set-Cookie": [*session_cookies(request, tokens.id_token, tokens.refresh_token),
                                        clear_pkce]})


@endpoint(bp, "/console/login", ["POST"], auth=False, on_error=_login_error)
def login_submit(principal, request):
    data = form(request)
    nonce = cookies(request).get(LOGIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(nonce, data.get("csrf", "")):
        raise Forbidden(both("err.sign_in_csrf"))
    token = data.get("token", "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise InvalidInput(both("err.token_empty"))
    return _sign_in(request, token)


@endpoint(bp, "/console/logout", ["POST"], cookie_auth=True, on_error=page_error)
def logout(principal, request):
    """Clears the cookies; with a user-pool session also revokes the refresh token and ends the hosted UI's
    session (a shared municipal PC must not sign the next person in without a password)."""
    from ..staff_session import REFRESH_COOKIE

    check_csrf(request, form(request))
    refresh = cookies(request).get(REFRESH_COOKIE)
    oauth = container.cognito_oauth()
    location = "/console/login"
    if refresh and oauth.configured:
        oauth.revoke(refresh)
        location = oauth.logout_url(f"{container.settings().public_base_url}/console/login")
    return redirect(location, {"Set-Cookie": cleared_cookies(request)})
