"""Open311 public reads (issue 17): only public Open311 requests, scrubbed of personal data, rounded
coordinates, other channels 404, a per-address rate limit, and a fixed DynamoDB cost per call."""
from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from tests.conftest import auth
from tests.support.aws_calls import recording

from .client import xml_records
from .conftest import DEV_KEY, FORM

TC = "10000000146"  # passes the official checksum
PHONE_FORMS = ["0532 765 43 21", "+90 (532) 765 4321", "05327654321"]
SECRET_BITS = [TC, "0532 765 43 21", "765 4321", "5327654321", "gizli.kisi@example.com", "TR33 0006 1005 1978 6457 8413 26",
               "38 ABC 123", "06AB1234", "Şükriye", "Küçükkaya"]
TEXT = (f"Ben Şükriye Küçükkaya, TC {TC}. Beni 0532 765 43 21 ya da +90 (532) 765 4321 numarasından arayın, "
        "e-posta gizli.kisi@example.com. IBAN TR33 0006 1005 1978 6457 8413 26. 38 ABC 123 ve 06AB1234 plakalı "
        "araçlar kaldırımı kapatıyor, çukur da var.")


def jbody(r):
    return json.loads(r.body)


def post(client, **fields):
    body = urlencode({"api_key": DEV_KEY, "service_code": "yol_bakim", **fields})
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=body)
    assert r.status_code == 200, r.body
    return jbody(r)[0]["service_request_id"]


def staff_request(client, channel: str, text: str = TEXT) -> str:
    body = {"channel": channel, "channel_ref": f"{channel}-{abs(hash(text))}", "text": text,
            "citizen": {"name": "Şükriye Küçükkaya", "phone": "+905327654321", "tc_kimlik_no": TC},
            "location": {"address": "Küçükkaya Sokak No 7", "lat": 38.69234, "long": 35.54876}}
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert r.status_code == 201, r.json_body
    return r.json_body["tracking_code"]


def assert_clean(text: str) -> None:
    for bit in SECRET_BITS:
        assert bit.lower() not in text.lower(), bit
    assert "38.69234" not in text and "35.54876" not in text


@pytest.mark.parametrize("channel", ["sms", "phone", "email", "beyaz_masa"])
def test_requests_from_other_channels_are_not_readable_on_open311(client, dev_key, channel):
    code = staff_request(client, channel)
    internal = client.http.get(f"/requests?channel={channel}", headers=auth("admin")).json_body["items"][0]["id"]
    for fmt in ("json", "xml"):
        r = client.http.get(f"/open311/v2/requests/{code}.{fmt}")
        assert r.status_code == 404, r.body
        assert_clean(r.body.decode())
        listed = client.http.get(f"/open311/v2/requests.{fmt}?service_request_id={code}")
        assert listed.status_code == 200 and code not in listed.body.decode()
        assert code not in client.http.get(f"/open311/v2/requests.{fmt}").body.decode()
        assert client.http.get(f"/open311/v2/tokens/{internal}.{fmt}").status_code == 404
        assert code not in client.http.get(f"/open311/v2/servicerequestupdates.{fmt}").body.decode()


def test_open311_answers_are_scrubbed_and_rounded_in_json_and_xml(client, dev_key):
    code = post(client, description=TEXT, first_name="Şükriye", last_name="Küçükkaya", email="gizli.kisi@example.com",
                phone="+905327654321", lat="38.69234", long="35.54876",
                address_string="Küçükkaya Sokak No 7, Cumhuriyet")
    one = jbody(client.http.get(f"/open311/v2/requests/{code}.json"))[0]
    assert one["lat"] == 38.692 and one["long"] == 35.549  # 3 decimals ≈ 100 m
    from chalicelib.understanding import find_neighbourhood

    assert one["address"] == f"{find_neighbourhood(lat=38.69234, long=35.54876)} Mahallesi, Talas"  # no street
    assert "[gizlendi]" in one["description"] and "çukur da var" in one["description"]
    assert_clean(json.dumps(one, ensure_ascii=False))
    listed = client.http.get("/open311/v2/requests.json").body.decode()
    assert code in listed
    assert_clean(listed)
    xml = client.http.get(f"/open311/v2/requests/{code}.xml").body.decode()
    assert xml_records(xml.encode(), "request")[0]["lat"] == "38.692"
    assert_clean(xml)
    assert_clean(client.http.get("/open311/v2/requests.xml").body.decode())
    # the staff still see everything (the scrub is for the public view only)
    stored = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"][0]
    assert stored["text"] == TEXT and stored["location"]["lat"] == 38.69234


def test_public_notes_and_updates_are_scrubbed(client, dev_key, pump):
    code = post(client, description="Çukur var", first_name="Şükriye", last_name="Küçükkaya", lat="38.6920",
                long="35.5480")
    pump.drain()
    item = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"][0]
    cur = client.http.get(f"/requests/{item['id']}", headers=auth("admin")).json_body
    r = client.http.post(f"/requests/{item['id']}/status", headers=auth("admin"), body=json.dumps(
        {"status": "resolved", "version": cur["version"], "note": "Şükriye Hanım, ekibimiz 0532 765 43 21 ile aradı"}))
    assert r.status_code == 200, r.json_body
    one = client.http.get(f"/open311/v2/requests/{code}.json").body.decode()
    assert "ekibimiz" in one
    assert_clean(one)
    updates = client.http.get(f"/open311/v2/servicerequestupdates.json?service_request_id={code}").body.decode()
    assert "ekibimiz" in updates
    assert_clean(updates)


def test_public_reads_are_rate_limited_per_client_address(client, dev_key, monkeypatch):
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311_READ", "3/60")
    paths = ["/open311/v2/services.json", "/open311/v2/requests.json", "/open311/v2/requests/AAAA-BBBB.xml"]
    assert [client.http.get(p).status_code for p in paths] == [200, 200, 404]
    for path in paths + ["/open311/v2/servicerequestupdates.json", "/open311/v2/media/x.jpg"]:
        r = client.http.get(path)
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1, path


def _reads(calls) -> dict:
    counts = calls.counts()
    return {op: counts[op] for op in ("Query", "GetItem", "BatchGetItem", "Scan") if counts[op]}


def test_one_unauthenticated_call_has_a_bounded_dynamodb_cost(client, dev_key, monkeypatch):
    from chalicelib.usecases import open311

    monkeypatch.setattr(open311, "MAX_REQUESTS", 2)  # small pages so the seed stays cheap
    codes = [post(client, description=f"Çukur {i}", lat="38.6920", long="35.5480") for i in range(7)]
    for i in range(3):
        staff_request(client, "sms", f"Gizli SMS {i}")
    with recording() as calls:
        listed = jbody(client.http.get("/open311/v2/requests.json"))
    # at most LIST_READS Queries of page size MAX_REQUESTS, and nothing else
    assert _reads(calls) == {"Query": open311.LIST_READS}, calls.counts()
    queried = [c.body for c in calls.calls if c.operation == "Query"]
    assert all(b["IndexName"] == "OPEN311" and b["Limit"] == 2 for b in queried)
    assert len(listed) == 2
    with recording() as calls:
        by_id = jbody(client.http.get("/open311/v2/requests.json?service_request_id=" + ",".join(codes)))
    assert len(by_id) == 7 and _reads(calls) == {"BatchGetItem": 2}, calls.counts()
    too_many = ",".join(f"AB{x}{y}-CDEF" for x in "234" for y in "2345678")  # 21 distinct codes
    with recording() as calls:
        assert client.http.get(f"/open311/v2/requests.json?service_request_id={too_many}").status_code == 400
    assert _reads(calls) == {}
    with recording() as calls:
        assert client.http.get("/open311/v2/requests/NOT-A-CODE-AT-ALL.json").status_code == 404
    assert _reads(calls) == {}
    with recording() as calls:
        client.http.get("/open311/v2/servicerequestupdates.json")
    reads = _reads(calls)
    assert reads.get("Query", 0) <= 1 + open311.MAX_UPDATE_REQUESTS and "Scan" not in reads, reads


def test_anonymised_request_leaves_open311(client, dev_key):
    code = post(client, description="Çukur var", email="gizli.kisi@example.com", lat="38.6920", long="35.5480")
    assert client.http.get(f"/open311/v2/requests/{code}.json").status_code == 200
    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"email": "gizli.kisi@example.com"}))
    assert r.status_code == 200 and r.json_body["anonymised"] == 1
    assert client.http.get(f"/open311/v2/requests/{code}.json").status_code == 404
    assert code not in client.http.get("/open311/v2/requests.json").body.decode()
    err = ElementTree.fromstring(client.http.get(f"/open311/v2/requests/{code}.xml").body)
    assert err.findtext("error/code") == "404"


def test_privacy_notice_is_shown_before_sending_and_linked_from_every_acknowledgement(client, dev_key, pump):
    from tests.outbound.conftest import sms_sent

    app = client.http.get("/app").body.decode()
    notice, submit = app.index('data-kvkk="aydinlatma"'), app.index('id="submit"')
    assert notice < submit and 'href="/kvkk"' in app[notice:submit]
    tr, en = app.index("Kişisel veriler"), app.index("Personal data")
    assert tr < en < submit  # Turkish first, English second, before the send button
    page = client.http.get("/kvkk")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode()
    assert text.index("Aydınlatma Metni") < text.index("Privacy notice")
    for must in ("md. 9", "art. 9", "md. 11", "Frankfurt", "2 yıl", "Open311"):
        assert must in text, must
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=urlencode(
        {"api_key": DEV_KEY, "service_code": "yol_bakim", "phone": "+905321234567", "lat": "38.6920",
         "long": "35.5480"}))
    assert "/kvkk" in jbody(r)[0]["service_notice"]
    pump.drain()
    acks = [t for p, t in sms_sent() if p == "+905321234567" and "alındı" in t]
    assert acks and all("/kvkk" in t for t in acks)
