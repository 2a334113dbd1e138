"""The console over the Chalice test client: sign-in, cookies, CSRF, isolation, status change, masking."""
from __future__ import annotations

from tests.conftest import token
from tests.console.helpers import create, form_post, session, text_of

RUBBISH = "Yenidoğan mahallesinde çöpler üç gündür toplanmadı"
PARK = "Mevlana mahallesindeki parkta salıncak kırılmış, çocuklar için tehlikeli"


def test_unauthenticated_console_redirects_to_sign_in(client, aws):
    r = client.http.get("/console")
    assert r.status_code == 303 and r.headers["Location"] == "/console/login"


def test_sign_in_sets_a_strict_httponly_cookie_and_checks_csrf(client, aws):
    page = client.http.get("/console/login", headers={"Host": "127.0.0.1:8000"})
    assert page.status_code == 200 and "Personel girişi" in text_of(page.body)
    set_cookie = page.headers["Set-Cookie"]
    nonce = set_cookie.split(";")[0].split("=", 1)[1]
    tok = token("agent")
    # without the login nonce the form is refused
    bad = form_post(client, "/console/login", {"Host": "127.0.0.1:8000"}, {"token": tok, "csrf": "x"})
    assert bad.status_code == 403
    ok = form_post(client, "/console/login", {"Host": "127.0.0.1:8000", "Cookie": f"ulakbel_login={nonce}"},
                   {"token": tok, "csrf": nonce})
    assert ok.status_code == 303 and ok.headers["Location"] == "/console"
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith(f"ulakbel_session={tok}")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie  # 127.0.0.1
    # anywhere else the cookie is Secure
    remote = form_post(client, "/console/login", {"Host": "ulakbel.talas.bel.tr", "Cookie": f"ulakbel_login={nonce}"},
                       {"token": tok, "csrf": nonce})
    assert "Secure" in remote.headers["Set-Cookie"]
    # a bad token shows the form again with a message, no cookie
    wrong = form_post(client, "/console/login", {"Host": "127.0.0.1:8000", "Cookie": f"ulakbel_login={nonce}"},
                      {"token": "nonsense", "csrf": nonce})
    assert wrong.status_code == 401 and "Set-Cookie" not in wrong.headers


def test_dev_link_signs_in(client, aws):
    r = client.http.get(f"/console/login?token={token('viewer')}", headers={"Host": "127.0.0.1:8000"})
    assert r.status_code == 303 and "ulakbel_session=" in r.headers["Set-Cookie"]


def test_department_member_sees_only_their_department(client, pump, aws):
    create(client, RUBBISH, "c-1")
    create(client, PARK, "c-2")
    pump.drain()
    headers, _ = session("department", "park")
    page = text_of(client.http.get("/console", headers=headers).body)
    assert "salıncak" in page and "çöpler" not in page
    headers, _ = session("viewer")
    page = text_of(client.http.get("/console", headers=headers).body)
    assert "salıncak" in page and "çöpler" in page
    # filters and search
    page = text_of(client.http.get("/console?q=SALINCAK&channel=phone", headers=headers).body)
    assert "salıncak" in page and "çöpler" not in page
    page = text_of(client.http.get("/console?department=temizlik", headers=headers).body)
    assert "salıncak" not in page and "çöpler" in page
    assert client.http.get("/console?status=bogus", headers=headers).status_code == 400


def test_status_change_through_the_console_form(client, pump, aws):
    made = create(client, PARK, "s-1", citizen={"name": "Ayşe Yılmaz", "phone": "0532 111 22 33"})
    pump.drain()
    headers, csrf = session("department", "park")
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    assert "Ayşe Yılmaz" in view  # the department may see the contact
    current = client.http.get(f"/requests/{made['id']}", headers={"Authorization": f"Bearer {token('admin')}"})
    version = current.json_body["version"]
    # missing CSRF → refused, nothing changed
    r = form_post(client, f"/console/requests/{made['id']}/status", headers,
                  {"status": "in_progress", "version": version})
    assert r.status_code == 403
    r = form_post(client, f"/console/requests/{made['id']}/status", headers,
                  {"status": "in_progress", "version": version, "csrf": csrf, "note": "ekip yolda"})
    assert r.status_code == 303, text_of(r.body)
    view = text_of(client.http.get(r.headers["Location"], headers=headers).body)
    assert "İşlemde / In progress" in view and "ekip yolda" in view
    # a stale version is a clear error page, not a 500
    r = form_post(client, f"/console/requests/{made['id']}/status", headers,
                  {"status": "resolved", "version": version, "csrf": csrf})
    assert r.status_code == 409 and "Sürüm" in text_of(r.body)
    # another department gets a 404 page
    other, csrf2 = session("department", "temizlik")
    assert client.http.get(f"/console/requests/{made['id']}", headers=other).status_code == 404


def test_viewer_sees_masked_contact_and_no_action_forms(client, pump, aws):
    made = create(client, PARK, "m-1", citizen={"name": "Ayşe Yılmaz", "phone": "0532 111 22 33"})
    pump.drain()
    headers, _ = session("viewer")
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    assert "Ayşe Yılmaz" not in view and "+905321112233" not in view and "A*** Y***" in view
    assert "status-form" not in view
    assert "<svg" in view and "Mevlana" in view


def test_pages_render_and_assets_are_served(client, pump, aws):
    create(client, PARK, "p-1")
    pump.drain()
    headers, _ = session("admin")
    for path in ("/console", "/console/analytics", "/console/analytics?channel=phone", "/seffaf"):
        r = client.http.get(path, headers=headers)
        assert r.status_code == 200, (path, text_of(r.body)[:500])
        assert "<html lang=\"tr\">" in text_of(r.body)
        assert "http://" not in text_of(r.body) and "https://" not in text_of(r.body)  # no CDN, nothing external
    css = client.http.get("/console/static/console.css")
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert client.http.get("/console/static/..%2Fapp.py").status_code == 404
    poll = client.http.get("/console/poll?after=2000-01-01T00:00:00Z", headers=headers)
    assert poll.status_code == 200 and poll.json_body["new_count"] == 1


def test_actions_of_missing_modules_say_not_available(client, pump, aws):
    import importlib.util

    made = create(client, PARK, "n-1")
    pump.drain()
    headers, csrf = session("agent")
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    for name, module in (("reply", "outbound"), ("assign", "workflow")):
        assert f"{name}-form" in view
        if importlib.util.find_spec(f"chalicelib.usecases.{module}") is None:
            r = form_post(client, f"/console/requests/{made['id']}/{name}", headers,
                          {"csrf": csrf, "text": "x", "assignee": "y", "version": "2"})
            assert r.status_code == 400 and "kullanılamıyor" in text_of(r.body)


def test_login_offers_the_user_pool_sign_in_when_configured(client, aws, monkeypatch):
    from urllib.parse import parse_qs, urlparse

    from chalicelib import container

    page = text_of(client.http.get("/console/login").body)
    assert "data-testid=\"cognito\"" not in page and 'name="token"' in page  # local: paste a dev token
    monkeypatch.setenv("COGNITO_HOSTED_UI", "https://talas.auth.eu-central-1.amazoncognito.com/")
    monkeypatch.setenv("COGNITO_AUDIENCE", "client123")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://ulakbel.talas.bel.tr")
    container.reset()
    page = text_of(client.http.get("/console/login").body)
    assert 'href="/console/login/start" data-testid="cognito"' in page
    start = client.http.get("/console/login/start", headers={"Host": "ulakbel.talas.bel.tr"})
    assert start.status_code == 303
    url = urlparse(start.headers["Location"])
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://talas.auth.eu-central-1.amazoncognito.com/oauth2/authorize"
    assert (q["response_type"], q["client_id"], q["code_challenge_method"]) == ("code", "client123", "S256")
    assert q["redirect_uri"] == "https://ulakbel.talas.bel.tr/console/callback" and len(q["code_challenge"]) == 43
    pkce = start.headers["Set-Cookie"]
    assert pkce.startswith(f"ulakbel_pkce={q['state']}.") and "HttpOnly" in pkce and "Secure" in pkce
    assert "SameSite=Lax" in pkce and "Path=/console" in pkce
