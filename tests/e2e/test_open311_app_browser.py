"""The citizens' web app (/app) on a phone-sized screen, in Debian's chromium driven by Playwright,
against the real `ulakbel dev`: pick a subject, describe, attach a photo (presigned upload), share the
location, get the tracking code, and staff see the request on GET /requests. The municipality is the e2e run's
(ULAKBEL_E2E_MUNICIPALITY, else the default): its name, a mahalle, its rubbish department from its folder."""
from __future__ import annotations

import pytest

from tests.e2e.towns import E2E_TOWN, Town

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture(scope="module")
def browser():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium missing: run `make test` (its `chromium` target installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_file_a_request_from_a_phone(e2e_system, browser):
    dev_system, town = e2e_system, Town(E2E_TOWN)
    http, base = dev_system["http"], dev_system["http"].base
    mahalle, (lon, lat) = town.mahalle()
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                              locale="tr-TR", geolocation={"latitude": lat, "longitude": lon},
                              permissions=["geolocation"])
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/app")
    assert page.title().startswith(town.identity["name"])
    page.wait_for_selector("#service optgroup", state="attached")
    # nothing overflows a 360 px screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.select_option("#service", "konteyner")
    page.wait_for_selector("#attr-konteyner_durumu", state="attached")
    page.select_option("#attr-konteyner_durumu", "kirik")
    page.fill("#description", "Sokağımızdaki konteynerin kapağı kırık, çöpler dökülüyor.")
    page.set_input_files("#photo", files=[{"name": "konteyner.jpg", "mimeType": "image/jpeg", "buffer": JPEG}])
    page.wait_for_function("document.getElementById('photo-status').textContent.includes('✔')")
    page.click("#locate")
    page.wait_for_function("document.getElementById('loc-status').textContent.includes('✔')")
    page.select_option("#neighbourhood", mahalle)
    page.click("#submit")
    page.wait_for_selector("#done:not([hidden])")
    code = page.text_content("#code").strip()
    assert code

    admin = dev_system["token"]("--role", "admin")
    status, body = http.call("GET", "/requests?channel=mobile_app&limit=20", token=admin)
    assert status == 200
    mine = next(i for i in body["items"] if i["tracking_code"] == code)
    assert mine["category"] == "konteyner" and mine["location"]["lat"] == lat
    assert mine["attachments"][0]["url"].endswith(".jpg") and "Kırık" in mine["text"]

    page.click("#tab-track")
    page.wait_for_selector(f"li[data-code='{code}']")
    assert "Açık" in page.text_content(f"li[data-code='{code}']")

    # The pump routes it; the department resolves it with a reply; the app shows both.
    import time

    deadline = time.monotonic() + 60
    while mine["status"] != "routed" and time.monotonic() < deadline:
        time.sleep(0.5)
        mine = http.call("GET", f"/requests/{mine['id']}", token=admin)[1]
    department = town.department_of("konteyner")
    assert mine["status"] == "routed" and mine["department"] == department
    status, _ = http.call("POST", f"/requests/{mine['id']}/status", token=admin,
                          body={"status": "resolved", "note": "Konteyner değiştirildi.", "version": mine["version"]})
    assert status == 200
    page.click("#tab-new")
    page.click("#tab-track")
    page.wait_for_function(f"document.querySelector(\"li[data-code='{code}'] .badge.closed\") !== null")
    card = page.text_content(f"li[data-code='{code}']")
    assert "Kapandı" in card and "Konteyner değiştirildi." in card and town.department_name(department) in card
    assert errors == []
    ctx.close()
