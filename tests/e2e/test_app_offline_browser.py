"""Issue 22, the citizens' app offline (Playwright + Debian chromium against the real `ulakbel dev`): "my requests"
are read from the service worker's last saved copy without a network, and a request written offline waits in
IndexedDB and is sent once the phone is online again (Background Sync, or the `online` event)."""
from __future__ import annotations

import time

import pytest

from tests.e2e.test_open311_app_browser import browser  # noqa: F401  (the shared chromium)
from tests.e2e.towns import E2E_TOWN, Town

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# not test_open311_app_browser.py's mahalle: the same container report there would be clustered with this one
MAHALLE = Town(E2E_TOWN).mahalle(4)[0]


def _file(page, text: str) -> None:
    page.select_option("#service", "konteyner")
    page.wait_for_selector("#attr-konteyner_durumu", state="attached")
    page.select_option("#attr-konteyner_durumu", "kirik")
    page.fill("#description", text)
    page.select_option("#neighbourhood", MAHALLE)
    page.click("#submit")
    page.wait_for_selector("#done:not([hidden])")


def test_my_requests_offline_and_a_request_queued_until_online(e2e_system, browser):  # noqa: F811
    dev_system = e2e_system
    http, base = dev_system["http"], dev_system["http"].base
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="tr-TR")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/app")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#service optgroup", state="attached")
    _file(page, "Sokağımızdaki konteynerin kapağı kırık, çöpler dökülüyor.")
    code = page.text_content("#code").strip()
    page.click("#tab-track")
    page.wait_for_selector(f"li[data-code='{code}']")

    ctx.set_offline(True)
    page.reload()  # the shell from the cache
    page.wait_for_selector("#service optgroup", state="attached")  # services from the saved copy
    page.click("#tab-track")
    page.wait_for_selector(f"li[data-code='{code}']")  # "my requests" from the saved copy
    assert "Açık" in page.text_content(f"li[data-code='{code}']")
    assert "Çevrimdışı" in page.text_content("#net-status")

    page.click("#tab-new")
    page.click("#again") if page.is_visible("#again") else None
    _file(page, f"Çevrimdışıyken yazdım: {MAHALLE} Mahallesi'nde konteyner devrilmiş.")
    assert page.is_visible("#queued")
    assert page.evaluate("""() => new Promise((ok) => { const r = indexedDB.open('ulakbel-app', 1);
        r.onsuccess = () => { const g = r.result.transaction('outbox').objectStore('outbox').count();
        g.onsuccess = () => ok(g.result); }; })""") == 1
    admin = dev_system["token"]("--role", "admin")

    def offline_one():
        _, body = http.call("GET", "/requests?channel=mobile_app&limit=50", token=admin)
        return [i for i in body["items"] if "Çevrimdışıyken yazdım" in i["text"]]

    assert offline_one() == []
    ctx.set_offline(False)  # online again: the outbox is sent, once
    deadline = time.monotonic() + 30
    while not offline_one() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(offline_one()) == 1
    sent_code = offline_one()[0]["tracking_code"]
    page.click("#tab-track")
    page.wait_for_selector(f"li[data-code='{sent_code}']", timeout=15000)
    time.sleep(2)
    assert len(offline_one()) == 1  # page and service worker never both sent it
    assert errors == []
    ctx.close()
