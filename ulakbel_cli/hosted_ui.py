"""The local stand-in for Cognito's hosted UI (moto has none), served by `ulakbel dev --stage prod`:
`/oauth2/authorize` shows a sign-in form, checks the password with AdminInitiateAuth against the user pool in
moto and redirects back with a one-time code; `/oauth2/token` exchanges the code (PKCE S256 checked,
redirect_uri and client_id must match) or a refresh token for the pool's real tokens. The console runs the
very same authorization-code flow it runs against Cognito in AWS."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

CODE_SECONDS = 300
TOKEN_TYPE = "Bearer"  # nosec B105 - the OAuth token_type, not a password

PAGE = """<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Giriş / Sign in</title>
<style>body{{font-family:sans-serif;max-width:26rem;margin:3rem auto}}label,input,button{{display:block;width:100%;
margin:.3rem 0}}.error{{color:#b00}}</style></head><body>
<h1>{municipality} personel girişi <small>Staff sign-in</small></h1>
<p><small>Yerel kullanıcı havuzu (moto) / local user pool (moto)</small></p>
{error}<form method="post" action="/login">{hidden}
<label for="username">E-posta / E-mail</label><input id="username" name="username" type="email" required>
<label for="password">Parola / Password</label><input id="password" name="password" type="password" required>
<button type="submit">Giriş yap / Sign in</button></form></body></html>"""


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class LocalHostedUi:
    def __init__(self, idp, pool_id: str, client_id: str, callback_url: str, host: str = "127.0.0.1",
                 logout_url: str | None = None) -> None:
        self.idp = idp
        self.logout_url = logout_url or callback_url.rsplit("/", 1)[0] + "/login"
        self.pool_id = pool_id
        self.client_id = client_id
        self.callback_url = callback_url
        self._codes: dict[str, dict] = {}
        self._lock = threading.Lock()
        ui = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                if url.path == "/logout":  # no session of its own to end; back to the registered logout URL
                    q = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if q.get("client_id") != ui.client_id or q.get("logout_uri") != ui.logout_url:
                        return self._send(400, "text/plain", b"invalid_request")
                    self.send_response(302)
                    self.send_header("Location", ui.logout_url)
                    self.end_headers()
                    return None
                if url.path != "/oauth2/authorize":
                    return self._send(404, "text/plain", b"not found")
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                problem = ui.check_authorize(q)
                if problem:
                    return self._send(400, "text/plain; charset=utf-8", problem.encode())
                return self._send(200, "text/html; charset=utf-8", ui.page(q).encode())

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlparse(self.path).path
                if path == "/login":
                    status, location, body = ui.login(form)
                    if location:
                        self.send_response(302)
                        self.send_header("Location", location)
                        self.end_headers()
                        return None
                    return self._send(status, "text/html; charset=utf-8", body.encode())
                if path == "/oauth2/token":
                    status, answer = ui.token(form)
                    return self._send(status, "application/json", json.dumps(answer).encode())
                if path == "/oauth2/revoke":
                    status, answer = ui.revoke(form)
                    return self._send(status, "application/json", json.dumps(answer).encode() if answer else b"")
                return self._send(404, "text/plain", b"not found")

            def _send(self, status: int, ctype: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="ulakbel-hosted-ui", daemon=True)

    def start(self) -> "LocalHostedUi":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the flow -------------------------------------------------------------------------------------
    def check_authorize(self, q: dict[str, str]) -> str | None:
        if q.get("response_type") != "code" or q.get("client_id") != self.client_id:
            return "invalid_request: response_type=code and this pool's client_id are required"
        if q.get("redirect_uri") != self.callback_url:
            return "redirect_mismatch"
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return "invalid_request: PKCE (code_challenge, S256) is required"
        return None

    def page(self, q: dict[str, str], error: str | None = None) -> str:
        keep = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope",
                "response_type")
        hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(q.get(k, ""))}">' for k in keep)
        from chalicelib.domain.identity import identity

        return PAGE.format(municipality=html.escape(identity().name), hidden=hidden, error=f'<p class="error">{html.escape(error)}</p>' if error else "")

    def login(self, form: dict[str, str]) -> tuple[int, str | None, str]:
        problem = self.check_authorize(form)
        if problem:
            return 400, None, html.escape(problem)
        try:
            result = self.idp.admin_initiate_auth(
                UserPoolId=self.pool_id, ClientId=self.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": form.get("username", ""), "PASSWORD": form.get("password", "")},
            )["AuthenticationResult"]
        except Exception:
            return 401, None, self.page(form, "E-posta ya da parola yanlış / wrong e-mail or password")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {"tokens": result, "challenge": form["code_challenge"],
                                 "redirect_uri": form["redirect_uri"], "expires": time.monotonic() + CODE_SECONDS}
        return 302, f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}", ""

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        if form.get("client_id") != self.client_id:
            return 400, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            with self._lock:
                grant = self._codes.pop(form.get("code", ""), None)  # one use
            if (grant is None or grant["expires"] < time.monotonic()
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or _challenge(form.get("code_verifier", "")) != grant["challenge"]):
                return 400, {"error": "invalid_grant"}
            t = grant["tokens"]
            return 200, {"id_token": t["IdToken"], "access_token": t["AccessToken"],
                         "refresh_token": t["RefreshToken"], "expires_in": t["ExpiresIn"], "token_type": TOKEN_TYPE}
        if form.get("grant_type") == "refresh_token":
            try:
                t = self.idp.admin_initiate_auth(
                    UserPoolId=self.pool_id, ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                    AuthParameters={"REFRESH_TOKEN": form.get("refresh_token", "")})["AuthenticationResult"]
            except Exception:
                return 400, {"error": "invalid_grant"}
            return 200, {"id_token": t["IdToken"], "access_token": t["AccessToken"], "expires_in": t["ExpiresIn"],
                         "token_type": TOKEN_TYPE}
        return 400, {"error": "unsupported_grant_type"}

    def revoke(self, form: dict[str, str]) -> tuple[int, dict]:
        """moto has no RevokeToken: sign the token's user out globally (every refresh token of that user).
        The id token is the one moto just issued, read here only for the user's name."""
        if form.get("client_id") != self.client_id:
            return 400, {"error": "invalid_client"}
        try:
            t = self.idp.admin_initiate_auth(
                UserPoolId=self.pool_id, ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": form.get("token", "")})["AuthenticationResult"]
            claims = json.loads(base64.urlsafe_b64decode(t["IdToken"].split(".")[1] + "=="))  # our own token
            self.idp.admin_user_global_sign_out(UserPoolId=self.pool_id,
                                                Username=claims.get("email") or claims["cognito:username"])
        except Exception:  # RFC 7009: an invalid token is not an error for revocation
            pass  # nosec B110 - nothing to revoke
        return 200, {}
