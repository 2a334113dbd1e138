"""Issue 22, any municipality by configuration: the same end-to-end checks on `ulakbel dev` for Talas and for
the fictional second municipality Örnekkent (ULAKBEL_MUNICIPALITY=ornekkent). Expectations come from each
municipality's own folder (departments, mahalles, polygons, jurisdiction), plus one message per town whose
department a person would name."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import yaml

from tests.e2e.conftest import leased_task, wait_for
from tests.e2e.towns import Town, all_names

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Scenario:
    """One message per town whose department a person would name (the rest comes from the town's folder)."""
    text: str  # a staff-entered message and the department it must reach
    department: str
    service_code: str  # an Open311 service filed at a mahalle's centroid, and its department
    service_department: str
    sms: str  # a citizen's SMS (signed Twilio webhook) and the department it must reach
    sms_department: str


SCENARIOS = {
    # Kamber: no other test on the shared server reports a playground there (the two would cluster into one request)
    "talas": Scenario("Kamber parkındaki kaydırak kırılmış, çocuklar yaralanabilir", "park", "yol_bakim", "fen",
                      "Yenidoğan Mahallesi'nde çöpler 4 gündür toplanmadı, konteynerler taştı", "temizlik"),
    "ornekkent": Scenario("Gülbahçe parkında salıncak kırık, çocuklar için tehlikeli", "cevre", "yol_bakim",
                          "altyapi", "Yıldıztepe Mahallesi'nde seyyar satıcılar kaldırımı işgal ediyor", "denetim"),
}


@pytest.fixture
def town(request, dev_servers):
    """(Town, its running `ulakbel dev`, its scenario); parametrised by tests/e2e/conftest.py."""
    if request.param not in SCENARIOS:
        pytest.skip(f"no scenario written for municipalities/{request.param}/")
    return Town(request.param), dev_servers.get(request.param), SCENARIOS[request.param]


def _routed(http, admin: str, request_id: str):
    return wait_for(lambda: (r := http.call("GET", f"/requests/{request_id}", token=admin)[1])
                    and r.get("status") in ("routed", "duplicate") and r.get("department") and r, timeout=60)


def test_a_staff_entry_reaches_the_municipality_s_own_department_queue(town):
    t, system, s = town
    http, token = system["http"], system["token"]
    status, created = http.call("POST", "/requests", {
        "channel": "beyaz_masa", "text": s.text, "citizen": {"name": "Deneme Vatandaş", "phone": "05321234567"}},
        token=token("--role", "agent"))
    assert status == 201, created
    routed = _routed(http, token("--role", "admin"), created["id"])
    assert routed, "the pump should have routed the request"
    codes = {d["code"] for d in t.departments["departments"]}
    assert routed["department"] == s.department and s.department in codes

    dept = token("--role", "department", "--department", s.department)
    assert leased_task(http, s.department, dept, created["id"])

    # the console's request page: its staff picker, canned replies and institutions come from the folder
    status, page = http.call("GET", f"/console/requests/{created['id']}", token=token("--role", "admin"))
    assert status == 200
    staff = yaml.safe_load((t.folder / "staff.yaml").read_text(encoding="utf-8"))[s.department]
    institutions = yaml.safe_load((t.folder / "institutions.yaml").read_text(encoding="utf-8"))
    assert staff[0]["name"] in page and institutions[0]["name"] in page
    assert not [o for o in t.others if o.lower() in page.lower()]


def test_open311_lists_its_services_and_files_at_its_mahalles(town):
    t, system, s = town
    http = system["http"]
    jurisdiction = t.identity["open311"]["jurisdiction_id"]
    status, discovery = http.call("GET", "/open311/v2/discovery.json")
    assert status == 200 and discovery["contact"] == t.identity["contact"]["desk"]

    status, services = http.call("GET", f"/open311/v2/services.json?jurisdiction_id={jurisdiction}")
    assert status == 200
    groups = {d["name_tr"] for d in t.departments["departments"]}
    taxonomy = yaml.safe_load((t.folder / "taxonomy.yaml").read_text(encoding="utf-8"))
    assert {s["service_code"] for s in services} == {c["code"] for c in taxonomy["categories"]}
    assert {s["group"] for s in services} <= groups
    for other in (Town(n).jurisdiction for n in all_names() if n != t.name):
        assert http.call("GET", f"/open311/v2/services.json?jurisdiction_id={other}")[0] == 404

    key = json.loads((system["home"] / "dev-secrets.json").read_text())["OPEN311_DEV_API_KEY"]
    mahalle, (lon, lat) = sorted(t.mahalles().items())[0]
    body = urlencode({"api_key": key, "jurisdiction_id": jurisdiction, "service_code": s.service_code,
                      "lat": lat, "long": lon, "description": "Yolda büyük çukur var, araçlar zarar görüyor"})
    status, filed = http.call("POST", "/open311/v2/requests.json", raw=body.encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, filed
    rid = filed[0]["service_request_id"]
    department_name = next(d["name_tr"] for d in t.departments["departments"] if d["code"] == s.service_department)

    def read():
        one = http.call("GET", f"/open311/v2/requests/{rid}.json")[1]
        return one and one[0]["agency_responsible"] and one[0]
    one = wait_for(read, timeout=60)
    assert one, "the pump should have routed the Open311 request"
    assert one["agency_responsible"] == department_name
    assert one["address"] == f"{mahalle} Mahallesi, {t.identity['district']}"


def test_a_signed_twilio_sms_reaches_the_municipality_s_own_department(town):
    """A town's own SMS (a MessageSid of its own: not a redelivery of test_doors_dev.py's recorded SMS)."""
    from urllib.parse import parse_qs

    from chalicelib.channels.twilio.inbound import compute_signature
    from tests.conftest import FIXTURES

    t, system, s = town
    http, token = system["http"], system["token"]
    form = parse_qs((FIXTURES / "twilio/sms_inbound.txt").read_text(), keep_blank_values=True)
    sid = f"SM{t.name:0<8.8}" + "0" * 24  # one message per town, not a redelivery of the suite's other SMS
    form.update(Body=[s.sms], MessageSid=[sid], SmsMessageSid=[sid], SmsSid=[sid], From=["+905329876543"])
    body = urlencode(form, doseq=True)
    secret = json.loads((system["home"] / "dev-secrets.json").read_text())["TWILIO_AUTH_TOKEN"]
    url = f"http://127.0.0.1:{system['port']}/webhooks/twilio/sms"
    status, twiml = http.call("POST", "/webhooks/twilio/sms", raw=body.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": compute_signature(url, parse_qs(body, keep_blank_values=True), secret)})
    assert status == 200 and "<Response" in twiml, twiml
    admin = token("--role", "admin")

    def mine():
        items = http.call("GET", "/requests?channel=sms", token=admin)[1]["items"]
        return next((i for i in items if i["channel_ref"] == sid and i.get("department")), None)
    found = wait_for(mine, timeout=60)
    assert found, http.call("GET", "/requests?channel=sms", token=admin)[1]
    assert found["department"] == s.sms_department


def _svg_mahalles(page: str) -> set[str]:
    return set(re.findall(r'<(?:path|circle)[^>]*\bdata-mahalle="([^"]+)"', page))


def test_public_and_staff_maps_draw_its_mahalles_and_name_no_other_town(town):
    t, system, s = town
    http, token = system["http"], system["token"]
    mahalles = set(t.mahalles())
    status, seffaf = http.call("GET", "/seffaf")
    assert status == 200 and mahalles <= _svg_mahalles(seffaf), _svg_mahalles(seffaf)
    status, analytics = http.call("GET", "/console/analytics", token=token("--role", "admin"))
    assert status == 200 and mahalles <= _svg_mahalles(analytics), _svg_mahalles(analytics)
    assert _svg_mahalles(analytics) <= mahalles | {n["name"] for n in yaml.safe_load(
        (t.folder / "neighbourhoods.yaml").read_text(encoding="utf-8"))["neighbourhoods"]}

    pages = {"/seffaf": seffaf, "/console/analytics": analytics}
    for path in ("/app", "/app/manifest.webmanifest", "/app/sw.js", "/kvkk", "/open311/v2/discovery.json",
                 "/open311/v2/services.json"):
        status, body = http.call("GET", path)
        assert status == 200, path
        pages[path] = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    for path, body in pages.items():
        for other in t.others:
            assert other.lower() not in body.lower(), f"{path} names {other}"
    for path in ("/app", "/kvkk", "/seffaf"):
        assert t.identity["name"] in pages[path], path
    assert json.loads(pages["/app/manifest.webmanifest"])["theme_color"] == t.identity["colours"]["primary"]
