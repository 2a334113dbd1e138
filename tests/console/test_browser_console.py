"""Issue 19 in a real browser (Playwright, Debian's chromium): inbox order and search over every page of more
than 200 requests, the keyboard, a canned reply on the conversation, merge by tracking code from the
suggestions, bulk assign, one labelled shape per mahalle on both maps, and axe-core (vendored from npm) with no
serious or critical violations. Screenshots: test-artifacts/console/{inbox,request,analytics}.png."""
from __future__ import annotations


import os
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Http, free_port, wait_for

from tests.console.browser_support import ARTIFACTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
HISTORY = 240  # more than a page (25) and than the old 200-request window


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """`ulakbel dev` with 240 past requests preloaded (history.py writes them with the adapter's items)."""
    home = tmp_path_factory.mktemp("ulakbel-console-home")
    port = free_port()
    env = {**os.environ, "ULAKBEL_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    for key in ("AWS_ENDPOINT_URL", "ULAKBEL_DEV_SIGNING_KEY", "PUBLIC_BASE_URL"):
        env.pop(key, None)
    log = open(home / "dev.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "ulakbel_cli.main", "dev", "--port", str(port),
                             "--schedule-seconds", "3", "--preload-history", str(HISTORY)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    http = Http(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ulakbel dev exited: " + (home / "dev.log").read_text()[-2000:])
        try:
            if http.call("GET", "/health")[0] == 200 and (home / "dev-tokens.json").exists():
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("ulakbel dev did not come up")

    def token(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "token", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True).stdout.strip()

    yield {"http": http, "token": token, "base": http.base, "home": home}
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def signed_in(browser, system, *args):
    ctx = browser.new_context(locale="tr-TR", viewport={"width": 1360, "height": 900}, bypass_csp=True)  # axe is injected
    page = ctx.new_page()
    page.goto(f"{system['base']}/console/login?token={system['token'](*args)}")
    page.wait_for_url(f"{system['base']}/console")
    return ctx, page


def create(system, text, ref, **extra):
    status, body = system["http"].call("POST", "/requests", {"channel": "phone", "channel_ref": ref, "text": text,
                                                            **extra}, token=system["token"]("--role", "agent"))
    assert status in (200, 201), body
    return body


def routed(system, *ids):
    admin = system["token"]("--role", "admin")
    return wait_for(lambda: all(system["http"].call("GET", f"/requests/{i}", token=admin)[1].get("status")
                                not in (None, "new") for i in ids), 60)


def rows(page):
    return page.eval_on_selector_all("[data-testid=inbox] tbody tr[data-request-id]",
                                     "els => els.map(e => [e.dataset.requestId, e.dataset.received, e.innerText])")


def walk(page, url):
    page.goto(url)
    seen = []
    while True:
        seen += rows(page)
        nxt = page.locator("a[rel=next]")
        if nxt.count() == 0:
            return seen
        nxt.click()
        page.wait_for_load_state("load")


def axe(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_inbox_order_and_search_hold_over_every_page(browser, system):
    ctx, page = signed_in(browser, system, "--role", "admin")
    old = walk(page, f"{system['base']}/console?sort=old")
    assert len(old) >= HISTORY and len({r[0] for r in old}) == len(old)  # every request once
    received = [r[1] for r in old]
    assert received == sorted(received)
    new = walk(page, f"{system['base']}/console?sort=new")
    assert [r[0] for r in new] == [r[0] for r in reversed(old)] or \
        [r[1] for r in new] == sorted(received, reverse=True)
    # search: history texts carry "çukur" on every tenth request, typed in capitals without Turkish letters
    found = walk(page, f"{system['base']}/console?q=CUKUR&sort=old")
    assert len(found) >= HISTORY // 10 and all("çukur" in r[2].lower() for r in found)
    page.goto(f"{system['base']}/console?sort=due")
    page.locator("tbody tr").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=False)
    assert axe(page) == []
    ctx.close()


def test_keyboard_flow_with_help_overlay(browser, system):
    ctx, page = signed_in(browser, system, "--role", "admin")
    page.goto(f"{system['base']}/console?sort=new&status=routed")  # open ones (a duplicate is refused, counted)
    page.keyboard.press("?")
    assert page.get_by_test_id("keys-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.get_by_test_id("keys-help").is_visible()
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = rows(page)[1][0]
    assert page.evaluate("document.querySelector('tr.current').dataset.requestId") == second
    page.keyboard.press("k")
    first = rows(page)[0][0]
    assert page.evaluate("document.querySelector('tr.current').dataset.requestId") == first
    page.keyboard.press("Enter")  # the focused row link opens
    page.wait_for_url(f"**/console/requests/{first}")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reply-text"
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("a")
    assert page.evaluate("document.activeElement.id") == "assign-assignee"
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("e")
    if page.locator('#st option[value="resolved"]').count():
        assert page.evaluate("document.getElementById('st').value") == "resolved"
    ctx.close()


def test_canned_reply_shows_on_the_conversation(browser, system):
    made = create(system, "Mevlana parkındaki salıncaklar kırık, tehlikeli", "bc-canned",
                  citizen={"name": "Ayşe Yılmaz", "phone": "0532 111 22 33"})
    assert routed(system, made["id"])
    ctx, page = signed_in(browser, system, "--role", "department", "--department", "park", "--lead", "--sub",
                          "park-sefi")
    page.goto(f"{system['base']}/console/requests/{made['id']}")
    page.get_by_label("Hazır yanıt").select_option(index=1)
    text = page.locator("#reply-text").input_value()
    assert made["tracking_code"] in text
    assert "SMS parçası" in page.get_by_test_id("reply-limits").inner_text()
    page.get_by_test_id("reply-form").get_by_role("button").click()
    page.wait_for_url("**ok=reply**")

    def sent():
        page.reload()
        bubble = page.locator("li.bubble.staff").last
        return bubble.count() and bubble.get_attribute("data-delivery") in ("sent", "delivered")

    assert wait_for(sent, 60)
    assert "✓" in page.locator("li.bubble.staff").last.get_by_test_id("delivery").inner_text()
    assert "birimine yönlendirildi" in page.get_by_test_id("timeline").inner_text()
    page.screenshot(path=str(ARTIFACTS / "request.png"), full_page=False)
    assert axe(page) == []
    ctx.close()


def test_merge_by_tracking_code_and_bulk_assign(browser, system):
    a = create(system, "Harman mahallesinde sokak lambası yanmıyor, gece karanlık", "bc-m1")
    b = create(system, "Harman mahallesinde sokak lambaları yanmıyor, her yer karanlık", "bc-m2")
    assert routed(system, a["id"], b["id"])
    admin = system["token"]("--role", "admin")
    docs = [system["http"].call("GET", f"/requests/{x['id']}", token=admin)[1] for x in (a, b)]
    dept = docs[0]["department"]
    ctx, page = signed_in(browser, system, "--role", "department", "--department", dept, "--lead", "--sub",
                          f"{dept}-sefi")
    if docs[1]["status"] != "duplicate":  # not already clustered at intake: staff merge it by its code
        page.goto(f"{system['base']}/console/requests/{b['id']}")
        page.locator("#merge-tracking_code").fill(a["tracking_code"].lower())
        page.get_by_test_id("merge-form").get_by_role("button").click()
        page.wait_for_url("**ok=merge**")
        assert "Mükerrer" in page.get_by_test_id("status").inner_text()
    ctx.close()
    # bulk (Beyaz Masa sees every department's staff): two rows selected, assigned to one staff member
    ctx, page = signed_in(browser, system, "--role", "admin")
    page.goto(f"{system['base']}/console?sort=new&status=routed")  # open ones (a duplicate is refused, counted)
    boxes = page.locator("input.pick")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert "2 seçili" in page.locator("#bulk-count").inner_text()
    page.locator("#bulk-action").select_option("assign")
    page.locator("#bulk-assignee").select_option(index=1)
    page.get_by_test_id("bulk-form").get_by_role("button").click()
    page.wait_for_url("**bulk_done=**")
    assert "2 talep güncellendi, 0 talep yapılamadı" in page.locator("main").inner_text()
    assert "status=routed" in page.url  # back to the same filtered list
    ctx.close()


def test_maps_have_a_labelled_shape_per_mahalle_and_pass_axe(browser, system):
    from chalicelib.understanding import neighbourhoods

    names = sorted(n["name"] for n in neighbourhoods())
    ctx, page = signed_in(browser, system, "--role", "viewer")
    for path in ("/console/analytics", "/seffaf"):
        page.goto(system["base"] + path)
        shapes = page.eval_on_selector_all("svg.map [data-mahalle]", "els => els.map(e => e.dataset.mahalle)")
        labels = page.eval_on_selector_all("svg.map [data-mahalle-label]", "els => els.map(e => e.textContent)")
        assert sorted(shapes) == names, path
        assert all(any(lbl.startswith(n) for lbl in labels) for n in names), path
        assert page.get_by_test_id("map-legend").is_visible()
        assert axe(page) == [], path
        if path == "/console/analytics":
            assert page.locator("figure figcaption").count() >= 3
            page.screenshot(path=str(ARTIFACTS / "analytics.png"), full_page=True)
    ctx.close()


def test_citizens_app_tabs_are_tabs(browser, system):
    ctx = browser.new_context(locale="tr-TR")
    page = ctx.new_page()
    page.goto(f"{system['base']}/app")
    tabs = page.get_by_role("tab")
    assert tabs.count() == 2
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    tabs.nth(1).click()
    assert tabs.nth(1).get_attribute("aria-selected") == "true" and tabs.nth(0).get_attribute("aria-selected") == "false"
    tabs.nth(1).press("ArrowLeft")
    assert tabs.nth(0).get_attribute("aria-selected") == "true"
    ctx.close()



def _resolve(system, request_id):
    admin = system["token"]("--role", "admin")
    current = system["http"].call("GET", f"/requests/{request_id}", token=admin)[1]
    status, body = system["http"].call("POST", f"/requests/{request_id}/status",
                                       {"status": "resolved", "version": current["version"], "note": "Giderildi"},
                                       token=admin)
    assert status == 200, body


def test_new_requests_and_citizen_replies_appear_live_with_an_unread_marker(browser, system):
    """No reload: a new request joins the first page of the newest, marked unread; a citizen's SMS answer to a
    resolved request (it reopens it) marks that row "Yeni yanıt / New reply" until the request is opened."""
    phone = "+905321119977"
    first = create(system, "Ardıç mahallesinde mezarlığın kapısı kırık, hayvanlar giriyor", "bl-live-1",
                   channel="sms",
                   citizen={"phone": phone})
    assert routed(system, first["id"])
    _resolve(system, first["id"])
    ctx, page = signed_in(browser, system, "--role", "admin")
    # staff look at a page the request is NOT on (e-mail only): the reply must still reach them
    page.goto(f"{system['base']}/console?channel=email")
    page.wait_for_function("() => !!localStorage.getItem('ulakbel.replies_after')", timeout=30000)
    assert page.locator(f"tr[data-request-id='{first['id']}']").count() == 0
    assert page.get_by_test_id("reply-count").count() == 0
    # the citizen answers on the same channel: intake reopens the resolved request (citizen_reply event)
    reply = create(system, "Kapı hâlâ kırık, lütfen tekrar bakın", "bl-live-2", channel="sms",
                   citizen={"phone": phone})
    assert reply["id"] == first["id"] and reply["status"] == "in_progress", reply
    link = page.locator(f"#reply-status [data-testid=reply-link][data-request-id='{first['id']}']")
    link.wait_for(timeout=60000)
    assert link.inner_text() == first["tracking_code"]
    assert "1 yeni yanıt" in page.locator("#reply-status").inner_text()
    assert page.get_by_test_id("reply-count").inner_text() == "1"  # the header's Inbox link counts it
    # on the page that shows it, its row is marked
    page.goto(f"{system['base']}/console?sort=new")
    row = page.locator(f"tr[data-request-id='{first['id']}']")
    page.wait_for_selector(f"tr[data-request-id='{first['id']}'] [data-testid=reply-badge]", timeout=60000)
    assert "unread" in row.get_attribute("class")
    assert "Yeni yanıt" in row.inner_text()
    assert page.locator("#reply-status").is_visible()
    # and a brand-new request appears on the page without a reload, marked unread
    fresh = create(system, "Kiçiköy parkında bank kırık", "bl-live-3")
    page.wait_for_selector(f"tr[data-request-id='{fresh['id']}']", timeout=60000)
    assert "unread" in page.locator(f"tr[data-request-id='{fresh['id']}']").get_attribute("class")
    page.wait_for_selector(f"tr[data-request-id='{first['id']}'] [data-testid=reply-badge]", timeout=15000)
    # opening the request reads the reply: back in the inbox the marker is gone
    page.goto(f"{system['base']}/console/requests/{first['id']}")
    assert "Kapı hâlâ kırık" in page.get_by_test_id("timeline").inner_text()
    page.goto(f"{system['base']}/console?sort=new")
    page.wait_for_selector(f"tr[data-request-id='{first['id']}']")
    assert page.locator(f"tr[data-request-id='{first['id']}'] [data-testid=reply-badge]").count() == 0
    assert page.get_by_test_id("reply-count").count() == 0 and page.locator("#reply-status").is_hidden()
    ctx.close()


def test_canned_reply_is_marked_delivered_when_the_delivery_report_arrives(browser, system):
    """A WhatsApp reply from the request view goes out (locally: the outbox, `sent`, ✓); WhatsApp's signed
    status webhook ("delivered") for that message id is recorded as an `outbound_status` event and the
    staff bubble shows ✓✓."""
    import json

    from chalicelib.channels.meta.inbound import SIGNATURE_HEADER, sign
    from tests.conftest import FIXTURES

    made = create(system, "Mevlana mahallesinde parktaki salıncak kırık", "bc-delivered", channel="whatsapp",
                  citizen={"name": "Ayşe Yılmaz", "phone": "+905321112233", "platform_id": "905321112233"})
    assert routed(system, made["id"])
    ctx, page = signed_in(browser, system, "--role", "admin")
    page.goto(f"{system['base']}/console/requests/{made['id']}")
    page.get_by_label("Hazır yanıt").select_option(index=1)
    page.get_by_test_id("reply-form").get_by_role("button").click()
    page.wait_for_url("**ok=reply**")
    admin = system["token"]("--role", "admin")

    def sent_id():  # the platform's id of the staff reply (not of the status notifications sent before it)
        timeline = system["http"].call("GET", f"/requests/{made['id']}", token=admin)[1].get("timeline", [])
        reply = [e["data"]["message_id"] for e in timeline if e["type"] == "outbound"
                 and e["data"].get("kind") == "reply"]
        return reply and next((e["data"]["platform_message_id"] for e in timeline if e["type"] == "outbound_status"
                               and e["data"].get("message_id") == reply[-1] and e["data"].get("status") == "sent"
                               and e["data"].get("platform_message_id")), None)

    platform_id = wait_for(sent_id, 60)
    assert platform_id
    page.reload()
    bubble = page.locator("li.bubble.staff").last
    assert bubble.get_attribute("data-delivery") == "sent"
    assert "✓✓" not in bubble.get_by_test_id("delivery").inner_text()
    report = json.loads((FIXTURES / "meta" / "whatsapp_status.json").read_text())
    status = report["entry"][0]["changes"][0]["value"]["statuses"][0]
    status.update({"id": platform_id, "status": "delivered", "recipient_id": "905321112233",
                   "timestamp": str(int(time.time()))})
    report["entry"][0]["changes"][0]["value"]["statuses"] = [status]
    raw = json.dumps(report).encode()
    secret = json.loads((system["home"] / "dev-secrets.json").read_text())["META_APP_SECRET"]
    code, body = system["http"].call("POST", "/webhooks/meta", raw=raw, headers={SIGNATURE_HEADER: sign(raw, secret)})
    assert code == 200, body

    def delivered():
        page.reload()
        return page.locator("li.bubble.staff").last.get_attribute("data-delivery") == "delivered"

    assert wait_for(delivered, 60)
    assert "✓✓" in page.locator("li.bubble.staff").last.get_by_test_id("delivery").inner_text()
    ctx.close()
