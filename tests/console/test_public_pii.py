"""The public page and its JSON never show personal data, and small counts are suppressed."""
from __future__ import annotations

import json
import re

from tests.conftest import auth
from tests.console.helpers import create, text_of


def tc_number(first9: str) -> str:
    d = [int(c) for c in first9]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return first9 + str(d10) + str(d11)


PEOPLE = [
    {"name": "Ayşe Yılmazoğlu", "phone": "+905321112233", "email": "ayse.yilmazoglu@example.com",
     "tc_kimlik_no": tc_number("123456789")},
    {"name": "Mehmet Karadavut", "phone": "+905427654321", "email": "m.karadavut@posta.com.tr",
     "tc_kimlik_no": tc_number("234567891")},
    {"name": "Zeynep Çağlayangil", "phone": "+905059998877", "email": "zeynep@caglayangil.net",
     "tc_kimlik_no": tc_number("345678912")},
]


def _forms(phone: str) -> list[str]:
    national = "0" + phone[3:]
    return [phone, phone[1:], national, phone[3:], f"{national[:4]} {national[4:7]} {national[7:9]} {national[9:]}"]


def _seed(client, pump):
    from chalicelib.domain.contact import is_valid_tc_kimlik

    made = []
    for i in range(12):  # enough for Yenidoğan's rubbish counts to be published
        p = PEOPLE[i % 3]
        assert is_valid_tc_kimlik(p["tc_kimlik_no"])
        text = (f"Ben {p['name']}, TC {p['tc_kimlik_no']}. Yenidoğan mahallesinde çöpler toplanmadı. "
                f"Beni {_forms(p['phone'])[4]} numarasından ya da {p['email']} adresinden arayın. #{i}")
        made.append(create(client, text, f"pii-{i}", citizen=p, location={"address": f"{p['name']} Sokak No {i}"}))
    # a neighbourhood field holding a person's name must never reach the public page either
    for i in range(6):
        create(client, "Parkta salıncak kırık", f"pii-n-{i}",
               citizen={"name": "Hasan Tekinalp"}, location={"neighbourhood": "Hasan Tekinalp"})
    # two requests elsewhere: below the threshold, so suppressed
    for i in range(2):
        create(client, "Mevlana mahallesinde sokak lambası yanmıyor", f"pii-s-{i}", citizen=PEOPLE[0])
    pump.drain()
    for r in made[:6]:
        cur = client.http.get(f"/requests/{r['id']}", headers=auth("admin")).json_body
        if cur["status"] in ("routed", "in_progress"):
            out = client.http.post(f"/requests/{r['id']}/status", headers=auth("admin"),
                                   body=json.dumps({"status": "resolved", "version": cur["version"]}))
            assert out.status_code == 200
    pump.drain()
    return made


PHONE = re.compile(r"(?:\+?90[\s-]?)?0?5\d{2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
ELEVEN = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")


def _assert_clean(text: str) -> None:
    from chalicelib.domain.contact import is_valid_tc_kimlik

    for p in PEOPLE + [{"name": "Hasan Tekinalp"}]:
        for part in [p["name"], *p["name"].split()[1:]]:
            assert part.lower() not in text.lower(), part
        for value in _forms(p["phone"]) if p.get("phone") else []:
            assert value not in text, value
        if p.get("email"):
            assert p["email"] not in text and p["email"].split("@")[0] not in text
        if p.get("tc_kimlik_no"):
            assert p["tc_kimlik_no"] not in text
    assert not PHONE.search(text), PHONE.search(text)
    assert not EMAIL.search(text), EMAIL.search(text)
    assert not [m for m in ELEVEN.findall(text) if is_valid_tc_kimlik(m)]
    assert "çöpler toplanmadı" not in text  # no free text at all


def test_public_page_and_json_carry_no_personal_data(client, pump, aws):
    from chalicelib.usecases.analytics import clear_public_cache

    _seed(client, pump)
    clear_public_cache()
    page = client.http.get("/seffaf")
    assert page.status_code == 200
    assert "public" in page.headers["Cache-Control"]
    html = text_of(page.body)
    data = client.http.get("/analytics/public")
    assert data.status_code == 200
    raw = text_of(data.body)
    for text in (html, raw):
        _assert_clean(text)
    # the data is really there: Yenidoğan published, the small group suppressed
    rows = {r["neighbourhood"]: r for r in data.json_body["neighbourhoods"]}
    assert rows["Yenidoğan"]["count"] == 12 and not rows["Yenidoğan"]["suppressed"]
    assert rows["Yenidoğan"]["resolved_ratio"] is not None
    assert "Yenidoğan" in html and "12" in html
    assert "Diğer" in rows  # the name typed as a neighbourhood was folded into "other"
    small = [r for r in rows.values() if r["suppressed"]]
    assert small and all(r["count"] is None and r["categories"] == [] for r in small)
    assert "&lt; 5" in html


def test_small_counts_are_suppressed_everywhere():
    from datetime import date, datetime, timezone

    from chalicelib.usecases.analytics import Cell, Filters, public_summary

    cells = [(Cell("2026-01-02", "Mevlana", "cop_toplama", "phone", "temizlik"), {"n": 4, "done": 4, "ttr_n": 4,
                                                                               "ttr_3": 4}),
             (Cell("2026-01-02", "Yenidoğan", "cop_toplama", "phone", "temizlik"), {"n": 7, "done": 3}),
             (Cell("2026-01-02", "Yenidoğan", "park_bakim", "sms", "park"), {"n": 2, "done": 2})]
    out = public_summary(cells, Filters(date(2026, 1, 1), date(2026, 1, 31)), datetime.now(timezone.utc),
                         {"Mevlana", "Yenidoğan"}, {"cop_toplama": "Çöp", "park_bakim": "Park"})
    rows = {r["neighbourhood"]: r for r in out["neighbourhoods"]}
    assert rows["Mevlana"]["suppressed"] and rows["Mevlana"]["count"] is None
    y = rows["Yenidoğan"]
    assert y["count"] == 9 and [c["category"] for c in y["categories"]] == ["cop_toplama"]
    assert y["categories"][0]["resolved"] is None  # 3 resolved: under the threshold
    assert y["median_resolution_hours"] is None
