"""Open311 GeoReport v2 over the real handlers and moto: schemas, formats, errors, filing and reading back."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from tests.conftest import auth

from .client import xml_records
from .conftest import DEV_KEY, FORM, validate

IN_TALAS = {"lat": "38.6920", "long": "35.5480"}  # inside the Bahçelievler polygon


def post(client, fmt="json", **fields):
    body = urlencode({"api_key": DEV_KEY, **fields})
    return client.http.post(f"/open311/v2/requests.{fmt}", headers=FORM, body=body)


def jbody(r):
    return json.loads(r.body)


def test_discovery_json_and_xml(client):
    r = client.http.get("/open311/v2/discovery.json")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json; charset=utf-8"
    doc = jbody(r)
    ep = doc["endpoints"][0]
    assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert ep["url"].endswith("/open311/v2") and set(ep["formats"]) == {"text/xml", "application/json"}
    x = client.http.get("/open311/v2/discovery.xml")
    assert x.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert x.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ElementTree.fromstring(x.body)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ep["formats"]


def test_services_cover_the_taxonomy_and_validate(client):
    from chalicelib.understanding import taxonomy

    services = jbody(client.http.get("/open311/v2/services.json"))
    validate(services, "services.json")
    assert [s["service_code"] for s in services] == [c.code for c in taxonomy()]
    by_code = {s["service_code"]: s for s in services}
    assert by_code["konteyner"]["group"] == "Temizlik İşleri Müdürlüğü" or by_code["konteyner"]["group"]
    assert by_code["konteyner"]["metadata"] is True and by_code["cop_toplama"]["metadata"] is False
    assert by_code["cop_toplama"]["service_name"] == "Çöp toplama"
    xml = xml_records(client.http.get("/open311/v2/services.xml").body, "service")
    assert [s["service_code"] for s in xml] == list(by_code)
    assert xml[0]["metadata"] in ("true", "false") and xml[0]["service_name"] == services[0]["service_name"]


def test_service_definition_json_xml_and_unknown(client):
    d = jbody(client.http.get("/open311/v2/services/sokak_hayvani.json"))
    validate(d, "service-definition.json")
    codes = {a["code"]: a for a in d["attributes"]}
    assert codes["hayvan_turu"]["required"] is True and codes["hayvan_turu"]["datatype"] == "singlevaluelist"
    assert {"key": "kopek", "name": "Köpek"} in codes["hayvan_turu"]["values"]
    root = ElementTree.fromstring(client.http.get("/open311/v2/services/sokak_hayvani.xml").body)
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == list(codes)
    assert root.find("attributes/attribute/values/value/key").text == "kopek"
    for fmt in ("json", "xml"):
        r = client.http.get(f"/open311/v2/services/yok_boyle.{fmt}")
        assert r.status_code == 404
    assert jbody(client.http.get("/open311/v2/services/yok_boyle.json"))[0]["code"] == 404
    err = ElementTree.fromstring(client.http.get("/open311/v2/services/yok_boyle.xml").body)
    assert err.tag == "errors" and err.findtext("error/code") == "404"


def test_post_form_then_read_back_json_and_xml_agree(client, dev_key):
    r = post(client, service_code="sokak_hayvani", description="Parkta saldırgan köpekler var",
             media_url="https://example.org/p.jpg", first_name="Ayşe", last_name="Yılmaz", email="ayse@example.org",
             **{"attribute[hayvan_turu]": "kopek", "attribute[hayvan_durumu]": "saldirgan"}, **IN_TALAS)
    assert r.status_code == 200, r.body
    created = jbody(r)
    assert len(created) == 1 and "token" not in created[0]
    rid = created[0]["service_request_id"]
    one = jbody(client.http.get(f"/open311/v2/requests/{rid}.json"))
    validate(one, "requests.json")
    item = one[0]
    assert item["service_code"] == "sokak_hayvani" and item["status"] == "open"
    assert item["media_url"] == "https://example.org/p.jpg" and item["lat"] == 38.692
    assert "Köpek" in item["description"] and item["expected_datetime"]
    assert "Ayşe" not in r.body.decode() and "ayse@" not in json.dumps(one)  # no personal data back out
    x = client.http.get(f"/open311/v2/requests/{rid}.xml")
    assert x.headers["Content-Type"] == "text/xml; charset=utf-8"
    xml_item = xml_records(x.body, "request")[0]
    for key, value in item.items():
        expected = None if value is None else str(value)
        assert xml_item[key] == expected, key
    stored = jbody(client.http.get("/requests?channel=mobile_app", headers=auth("admin")))["items"][0]
    assert stored["citizen"]["name"] == "Ayşe Yılmaz" and stored["category"] == "sokak_hayvani"
    assert stored["location"]["neighbourhood"] == "Bahçelievler"  # point-in-polygon


def test_post_xml_response(client, dev_key):
    r = post(client, fmt="xml", service_code="cop_toplama", address_string="Harman Mahallesi 5. sokak")
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/xml; charset=utf-8"
    rec = xml_records(r.body, "request")[0]
    assert rec["service_request_id"] and rec["service_notice"]


def test_post_in_an_eastern_mahalle_files_it_there(client, dev_key):
    """Alaybeyli is 25 km east of Talas centre: farther than 6 km from every old centroid, inside the outline."""
    from chalicelib.understanding.boundaries import get_boundaries

    lon, lat = get_boundaries().mahalle("Alaybeyli").label
    r = post(client, service_code="cop_toplama", description="Çöpler alınmadı", lat=str(lat), long=str(lon))
    assert r.status_code == 200, r.body
    code = jbody(r)[0]["service_request_id"]
    listed = jbody(client.http.get("/requests?channel=mobile_app", headers=auth("admin")))["items"]
    mine = [i for i in listed if i["tracking_code"] == code]
    assert mine and mine[0]["location"]["neighbourhood"] == "Alaybeyli"


@pytest.mark.parametrize("fields, status, words", [
    ({"service_code": "cop_toplama"}, 400, "location"),
    ({**IN_TALAS}, 400, "service_code"),
    ({"service_code": "yok_boyle", **IN_TALAS}, 404, "service_code"),
    ({"service_code": "cop_toplama", "lat": "38.69"}, 400, "together"),
    ({"service_code": "cop_toplama", "lat": "41.01", "long": "28.97"}, 400, "outside"),
    # Kayseri centre (Melikgazi): 4 km from the old Mevlana centroid, so the old 6-km rule let it in.
    ({"service_code": "cop_toplama", "lat": "38.7205", "long": "35.4878"}, 400, "outside"),
    ({"service_code": "cop_toplama", "lat": "abc", "long": "35"}, 400, "number"),
    ({"service_code": "sokak_hayvani", **IN_TALAS}, 400, "attribute[hayvan_turu]"),
    ({"service_code": "sokak_hayvani", "attribute[hayvan_turu]": "zurafa", **IN_TALAS}, 400, "invalid value"),
    ({"service_code": "cop_toplama", "email": "not-an-email", **IN_TALAS}, 400, "e-mail"),
    ({"service_code": "cop_toplama", "description": "x" * 4001, **IN_TALAS}, 400, "4000"),
])
def test_post_errors_are_open311_errors_and_write_nothing(client, dev_key, fields, status, words):
    r = post(client, **fields)
    assert r.status_code == status, r.body
    errors = jbody(r)
    assert isinstance(errors, list) and errors[0]["code"] == status and words in errors[0]["description"]
    listed = jbody(client.http.get("/requests?channel=mobile_app", headers=auth("admin")))["items"]
    assert listed == []


def test_bad_or_missing_api_key_is_403_in_both_formats(client, dev_key):
    body = urlencode({"api_key": "wrong", "service_code": "cop_toplama", **IN_TALAS})
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=body)
    assert r.status_code == 403 and jbody(r)[0]["code"] == 403
    body = urlencode({"service_code": "cop_toplama", **IN_TALAS})
    x = client.http.post("/open311/v2/requests.xml", headers=FORM, body=body)
    assert x.status_code == 403 and ElementTree.fromstring(x.body).findtext("error/code") == "403"


def test_issued_key_is_stored_as_a_peppered_hmac_and_works(client, monkeypatch):
    import hashlib

    from chalicelib import container
    from chalicelib.usecases.open311 import hash_key, issue_api_key

    monkeypatch.delenv("OPEN311_DEV_API_KEY", raising=False)
    pepper = container.settings().open311_key_pepper
    key = issue_api_key(container.repository(), "Talas Mobil", pepper)
    marker = container.repository().api_key(hash_key(key, pepper))
    assert marker["name"] == "Talas Mobil" and key not in json.dumps(marker)
    # not a plain SHA-256 (a leaked table must not let anyone test guesses), and the pepper matters
    assert container.repository().api_key(hashlib.sha256(key.encode()).hexdigest()) is None
    assert hash_key(key, pepper) != hash_key(key, pepper + "x")
    body = urlencode({"api_key": key, "service_code": "cop_toplama", **IN_TALAS})
    assert client.http.post("/open311/v2/requests.json", headers=FORM, body=body).status_code == 200
    body = urlencode({"api_key": key + "x", "service_code": "cop_toplama", **IN_TALAS})
    assert client.http.post("/open311/v2/requests.json", headers=FORM, body=body).status_code == 403


def test_dev_key_not_accepted_outside_local_stage(client, dev_key):
    import boto3

    from chalicelib import container
    from chalicelib.settings import Settings

    assert post(client, service_code="cop_toplama", **IN_TALAS).status_code == 200
    sm = boto3.client("secretsmanager", region_name="eu-central-1")
    sm.create_secret(Name="ulakbel/prod/OPEN311_KEY_PEPPER", SecretString="prod-open311-pepper")
    sm.create_secret(Name="ulakbel/prod/ULAKBEL_PII_PEPPER", SecretString="prod-pii-pepper")  # rate-limit keys
    container.override("settings", Settings(stage="prod", table_name="ulakbel-local-requests",
                                            secret_ids={"OPEN311_KEY_PEPPER": "ulakbel/prod/OPEN311_KEY_PEPPER",
                                                        "ULAKBEL_PII_PEPPER": "ulakbel/prod/ULAKBEL_PII_PEPPER"}))
    assert post(client, service_code="cop_toplama", **IN_TALAS).status_code == 403


def test_without_its_pepper_a_deployed_stage_says_configuration_error_not_403(client, dev_key):
    from chalicelib import container
    from chalicelib.settings import Settings

    import boto3

    boto3.client("secretsmanager", region_name="eu-central-1").create_secret(
        Name="ulakbel/prod/ULAKBEL_PII_PEPPER", SecretString="prod-pii-pepper")  # only the Open311 pepper missing
    container.override("settings", Settings(stage="prod", table_name="ulakbel-local-requests",
                                            secret_ids={"ULAKBEL_PII_PEPPER": "ulakbel/prod/ULAKBEL_PII_PEPPER"}))
    r = post(client, service_code="cop_toplama", **IN_TALAS)
    assert r.status_code == 503 and "OPEN311_KEY_PEPPER" in r.body.decode()


def test_idempotency_key_does_not_file_twice(client, dev_key):
    body = urlencode({"api_key": DEV_KEY, "service_code": "cop_toplama", **IN_TALAS})
    headers = {**FORM, "Idempotency-Key": "abc-123"}
    a = jbody(client.http.post("/open311/v2/requests.json", headers=headers, body=body))
    b = jbody(client.http.post("/open311/v2/requests.json", headers=headers, body=body))
    assert a[0]["service_request_id"] == b[0]["service_request_id"]


def test_get_requests_by_ids_with_unknown_ids(client, dev_key):
    ids = [jbody(post(client, service_code="cop_toplama", **IN_TALAS))[0]["service_request_id"] for _ in range(2)]
    r = client.http.get(f"/open311/v2/requests.json?service_request_id={ids[0]},ZZZZ-ZZZZ,{ids[1]}&status=closed")
    found = jbody(r)
    validate(found, "requests.json")
    assert sorted(i["service_request_id"] for i in found) == sorted(ids)  # ids override other arguments
    assert client.http.get("/open311/v2/requests/ZZZZ-ZZZZ.json").status_code == 404


def test_get_requests_date_range_status_code_and_window(client, dev_key):
    post(client, service_code="cop_toplama", **IN_TALAS)
    post(client, service_code="yol_bakim", **IN_TALAS)
    now = datetime.now(timezone.utc)
    all_ = jbody(client.http.get("/open311/v2/requests.json"))
    validate(all_, "requests.json")
    assert {i["service_code"] for i in all_} == {"cop_toplama", "yol_bakim"}
    only = jbody(client.http.get("/open311/v2/requests.json?service_code=yol_bakim"))
    assert [i["service_code"] for i in only] == ["yol_bakim"]
    assert jbody(client.http.get("/open311/v2/requests.json?status=closed")) == []
    assert len(jbody(client.http.get("/open311/v2/requests.json?status=open,closed"))) == 2
    start = (now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert jbody(client.http.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}")) == []
    wide = (now - timedelta(days=92)).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = client.http.get(f"/open311/v2/requests.json?start_date={wide}&end_date={end}")
    assert r.status_code == 400 and "90" in jbody(r)[0]["description"]
    assert client.http.get("/open311/v2/requests.json?status=pending").status_code == 400
    assert client.http.get("/open311/v2/requests.json?start_date=dün").status_code == 400
    assert client.http.get("/open311/v2/requests.json?service_code=yok").status_code == 404
    x = xml_records(client.http.get("/open311/v2/requests.xml").body, "request")
    assert {i["service_request_id"] for i in x} == {i["service_request_id"] for i in all_}


def test_listing_is_capped(client, dev_key, monkeypatch):
    from chalicelib.usecases import open311

    # the spec lets a server cap the list (unauthenticated: bounded cost); lowered here to test it cheaply
    assert open311.MAX_REQUESTS == 200
    monkeypatch.setattr(open311, "MAX_REQUESTS", 2)
    for _ in range(3):
        post(client, service_code="cop_toplama", **IN_TALAS)
    assert len(jbody(client.http.get("/open311/v2/requests.json"))) == 2


def test_tokens(client, dev_key):
    rid = jbody(post(client, service_code="cop_toplama", **IN_TALAS))[0]["service_request_id"]
    internal = jbody(client.http.get("/requests?channel=mobile_app", headers=auth("admin")))["items"][0]["id"]
    got = jbody(client.http.get(f"/open311/v2/tokens/{internal}.json"))
    assert got == [{"service_request_id": rid, "token": internal}]
    assert xml_records(client.http.get(f"/open311/v2/tokens/{internal}.xml").body, "request")[0]["token"] == internal
    assert client.http.get("/open311/v2/tokens/01NOPE.json").status_code == 404


def test_unknown_format_and_resource(client):
    assert client.http.get("/open311/v2/services.html").status_code == 404
    assert client.http.get("/open311/v2/nothing.json").status_code == 404


def test_media_presign_uploads_to_s3(client, dev_key):
    import urllib.request

    r = client.http.post("/open311/v2/media", headers=FORM,
                         body=urlencode({"api_key": DEV_KEY, "content_type": "image/jpeg"}))
    assert r.status_code == 200, r.body
    m = jbody(r)
    put = urllib.request.Request(m["upload_url"], data=b"\xff\xd8\xff fake jpeg", method="PUT",
                                 headers={"Content-Type": "image/jpeg"})
    assert urllib.request.urlopen(put, timeout=10).status == 200
    from chalicelib.adapters.aws import client as aws_client

    name = m["media_url"].rsplit("/", 1)[1]
    assert m["media_url"].endswith(f"/open311/v2/media/{name}")
    assert aws_client("s3").get_object(Bucket="ulakbel-local-media",
                                       Key=f"open311/{name}")["Body"].read().startswith(b"\xff\xd8")
    got = client.http.get(f"/open311/v2/media/{name}")
    assert got.status_code == 302
    with urllib.request.urlopen(got.headers["Location"], timeout=10) as resp:
        assert resp.read().startswith(b"\xff\xd8")
    assert client.http.get("/open311/v2/media/01ARZ3NDEKTSV4RRFFQ69G5FAV.jpg").status_code == 404
    assert client.http.get("/open311/v2/media/..%2Fx.jpg").status_code == 404
    bad = client.http.post("/open311/v2/media", headers=FORM,
                           body=urlencode({"api_key": DEV_KEY, "content_type": "application/x-msdownload"}))
    assert bad.status_code == 400
    assert client.http.post("/open311/v2/media", headers=FORM,
                            body=urlencode({"api_key": "no", "content_type": "image/jpeg"})).status_code == 403


def test_app_page_and_assets_are_served_without_cdn(client, dev_key):
    r = client.http.get("/app")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    html = r.body.decode()
    assert '<html lang="tr">' in html and "Cumhuriyet" in html and DEV_KEY in html
    assert "http://" not in html.replace('xmlns="http://', "") and "https://" not in html  # no CDN assets
    for name in ("app.js", "app.css", "manifest.webmanifest", "sw.js", "icon.svg"):
        asset = client.http.get(f"/app/{name}")
        assert asset.status_code == 200, name
    js = client.http.get("/app/app.js").body.decode()
    assert '"/open311/v2"' in js and "/requests?" not in js  # only the Open311 endpoints
    manifest = json.loads(client.http.get("/app/manifest.webmanifest").body)
    assert manifest["start_url"] == "/app" and manifest["lang"] == "tr"
    assert client.http.get("/app/sw.js").headers["Service-Worker-Allowed"] == "/app"
    assert client.http.get("/app/../app.py").status_code in (403, 404)
    assert client.http.get("/app/secret.txt").status_code == 404


def test_jurisdiction_id_optional_but_checked(client, dev_key):
    assert client.http.get("/open311/v2/services.json?jurisdiction_id=talas.bel.tr").status_code == 200
    r = client.http.get("/open311/v2/services.json?jurisdiction_id=sfgov.org")
    assert r.status_code == 404 and jbody(r)[0]["code"] == 404
    assert post(client, service_code="cop_toplama", jurisdiction_id="sfgov.org", **IN_TALAS).status_code == 404
    assert post(client, service_code="cop_toplama", jurisdiction_id="talas.bel.tr", **IN_TALAS).status_code == 200
