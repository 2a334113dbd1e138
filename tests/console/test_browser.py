"""The console in a real browser: Playwright driving Debian's chromium (installed by `make test`).

Screenshots go to test-artifacts/console/. Reply and assign run once the outbound/workflow use cases exist.
"""
from __future__ import annotations


import pytest

from tests.e2e.conftest import wait_for

from tests.console.browser_support import ARTIFACTS

pytestmark = pytest.mark.browser

PARK = "Mevlana mahallesindeki parkta salıncak kırılmış, çocuklar için tehlikeli"
RUBBISH = "Yenidoğan mahallesinde çöpler üç gündür toplanmadı, koku var"


@pytest.fixture(scope="module")
def system(dev_system):
    http, token = dev_system["http"], dev_system["token"]
    agent = token("--role", "agent")
    ids = {}
    for ref, text, nbh in (("b-park", PARK, "Mevlana"), ("b-rubbish", RUBBISH, "Yenidoğan")):
        status, body = http.call("POST", "/requests", {"channel": "phone", "channel_ref": ref, "text": text,
                                                       "citizen": {"name": "Ayşe Yılmaz",
                                                                   "phone": "0532 111 22 33"}}, token=agent)
        assert status in (200, 201), body
        ids[ref] = body["id"]
    admin = token("--role", "admin")

    def routed():
        return all(http.call("GET", f"/requests/{i}", token=admin)[1].get("status") == "routed"
                   for i in ids.values())

    assert wait_for(routed, 30)
    return {**dev_system, "ids": ids, "base": http.base}


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in_with_token(page, base, tok):
    page.goto(f"{base}/console")
    assert "/console/login" in page.url
    page.get_by_label("Erişim jetonu").fill(tok)
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{base}/console")


def test_department_member_filters_opens_and_changes_status(browser, system):
    base, token = system["base"], system["token"]
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    sign_in_with_token(page, base, token("--role", "department", "--department", "park", "--sub", "park-1"))
    shot(page, "01-park-inbox")
    inbox = page.get_by_test_id("inbox")
    assert "salıncak" in inbox.inner_text() and "çöpler" not in inbox.inner_text()
    assert "park-1" in page.get_by_test_id("who").inner_text()
    # the session cookie is not readable by scripts
    assert page.evaluate("document.cookie").find("ulakbel_session") == -1
    # filter: status routed, search text
    page.locator("#f-status").select_option("routed")  # "Durum" alone also names the bulk bar's status
    page.get_by_label("Ara").fill("salıncak")
    page.get_by_role("button", name="Süz").click()
    page.wait_for_url("**status=routed**")
    shot(page, "02-park-filtered")
    page.get_by_test_id("inbox").get_by_role("link").first.click()
    page.wait_for_url(f"**/console/requests/{system['ids']['b-park']}")
    assert "salıncak" in page.get_by_test_id("text").inner_text()
    assert page.locator("svg.map").count() == 1
    shot(page, "03-park-request")
    # change status
    page.get_by_label("Yeni durum").select_option("in_progress")
    page.locator("#st-note").fill("Ekip yönlendirildi")
    page.get_by_test_id("status-form").get_by_role("button").click()
    page.wait_for_url("**ok=status**")
    assert "İşlemde" in page.get_by_test_id("status").inner_text()
    assert "Ekip yönlendirildi" in page.get_by_test_id("timeline").inner_text()
    shot(page, "04-park-status-changed")
    # reflected in the inbox
    page.goto(f"{base}/console?status=in_progress")
    assert "salıncak" in page.get_by_test_id("inbox").inner_text()
    # another department's request is a 404 page
    resp = page.goto(f"{base}/console/requests/{system['ids']['b-rubbish']}")
    assert resp.status == 404
    ctx.close()


def test_mayors_office_sees_all_analytics_and_public_page(browser, system):
    base, token, http = system["base"], system["token"], system["http"]
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    page.goto(f"{base}/console/login?token={token('--role', 'viewer', '--sub', 'ozel-kalem')}")
    page.wait_for_url(f"{base}/console")
    text = page.get_by_test_id("inbox").inner_text()
    assert "salıncak" in text and "çöpler" in text
    page.get_by_label("Müdürlük").select_option("temizlik")
    page.get_by_role("button", name="Süz").click()
    page.wait_for_url("**department=temizlik**")
    assert "salıncak" not in page.get_by_test_id("inbox").inner_text()
    shot(page, "05-viewer-inbox-temizlik")
    page.get_by_test_id("inbox").get_by_role("link").first.click()
    body = page.locator("main").inner_text()
    assert "A*** Y***" in body and "Ayşe Yılmaz" not in body  # masked for the mayor's office
    shot(page, "06-viewer-request")
    # a new request appears without a reload (polling)
    page.goto(f"{base}/console")
    status, _ = http.call("POST", "/requests", {"channel": "phone", "channel_ref": "b-new",
                                                "text": "Bahçelievler'de kaldırım taşları kırık"},
                          token=token("--role", "agent"))
    assert status == 201
    page.locator("#new-banner").wait_for(state="visible", timeout=40_000)
    shot(page, "07-viewer-new-banner")
    # analytics
    page.get_by_role("link", name="Analitik").click()
    page.wait_for_url(f"{base}/console/analytics")
    totals = page.get_by_test_id("totals").inner_text()
    assert "talep" in totals
    assert "Mevlana" in page.get_by_test_id("matrix").inner_text()
    shot(page, "08-analytics")
    # exports with the session cookie, as the download links do
    xlsx = page.request.get(f"{base}/analytics/export?format=xlsx", headers={"Accept": "*/*"})
    assert xlsx.status == 200 and xlsx.body()[:2] == b"PK"
    csv = page.request.get(f"{base}/analytics/export?format=csv")
    assert csv.status == 200 and "mahalle_kategori" in csv.text()
    # public page, signed out
    public = browser.new_context(locale="tr-TR").new_page()
    resp = public.goto(f"{base}/seffaf")
    assert resp.status == 200
    assert "Şeffaf belediye" in public.locator("h1").inner_text()
    html = public.content()
    assert "Ayşe" not in html and "5321112233" not in html
    shot(public, "09-seffaf")
    ctx.close()


UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def test_every_control_is_labelled_and_the_skip_link_comes_first(browser, system):
    base, token = system["base"], system["token"]
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    page.goto(f"{base}/console/login")
    assert page.evaluate(UNLABELLED) == []
    page.goto(f"{base}/console/login?token={token('--role', 'agent')}")
    for path in ("/console", f"/console/requests/{system['ids']['b-park']}", "/console/analytics", "/seffaf"):
        page.goto(base + path)
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate("document.documentElement.lang") == "tr"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip", path
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    ctx.close()


def test_a_token_in_the_url_fragment_signs_no_one_in(browser, system):
    """The implicit flow is gone (tokens in a URL leak to history and referrers): the console signs in only
    through the authorization code with PKCE (tests/console/test_console_user_pool.py, e2e prod)."""
    base, token = system["base"], system["token"]
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    tok = token("--role", "viewer", "--sub", "cognito-user")
    page.goto(f"{base}/console/callback#id_token={tok}&token_type=Bearer&expires_in=3600")
    page.wait_for_load_state("load")
    page.goto(f"{base}/console")
    assert "/console/login" in page.url
    assert page.get_by_test_id("who").count() == 0
    ctx.close()


def test_reply_and_assign_from_the_console(browser, system):
    pytest.importorskip("chalicelib.usecases.outbound")
    pytest.importorskip("chalicelib.usecases.workflow")
    base, token = system["base"], system["token"]
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    # assigning is the department lead's job (workflow rule); the lead also answers the citizen
    sign_in_with_token(page, base, token("--role", "department", "--department", "temizlik", "--lead",
                                         "--sub", "temizlik-sefi"))
    page.goto(f"{base}/console/requests/{system['ids']['b-rubbish']}")
    page.locator("#assign-assignee").select_option("temizlik-ekip-3")  # the department's staff picker
    page.get_by_test_id("assign-form").get_by_role("button").click()
    page.wait_for_url("**ok=assign**")
    assert "Temizlik Ekip 3" in page.get_by_test_id("assignee").inner_text()
    page.locator("#reply-text").fill("Ekiplerimiz bugün mahallenize gelecek, teşekkürler.")
    page.get_by_test_id("reply-form").get_by_role("button").click()
    page.wait_for_url("**ok=reply**")
    assert "Ekiplerimiz bugün" in page.get_by_test_id("timeline").inner_text()
    shot(page, "10-reply-assign")
    ctx.close()
