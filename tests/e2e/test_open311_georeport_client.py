"""Interoperability: PyPI's `georeport` Open311 client (read side, JSON and XML via xmltodict) against the
real `ulakbel dev`; filing goes through our spec-only client (georeport cannot POST)."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.open311.client import Open311Client

pytestmark = pytest.mark.e2e


def urllib_transport(base: str):
    def send(method, path, headers, body):
        req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()

    return send


def test_georeport_reads_what_the_app_filed(town):
    t, dev_system = town
    from georeport import GeoReport

    base = dev_system["http"].base
    key = json.loads((dev_system["home"] / "dev-secrets.json").read_text())["OPEN311_DEV_API_KEY"]
    app = Open311Client(urllib_transport(base), "/open311/v2/discovery", api_key=key)
    address = f"{t.mahalle()[0]} Mahallesi, {t.identity['district']}"
    rid = app.post_request("sokak_hayvani", address_string=address,
                           description="Okul önünde sahipsiz köpekler", attribute={"hayvan_turu": "kopek"},
                           jurisdiction_id=t.jurisdiction)[0]["service_request_id"]

    as_json = GeoReport(base + "/open311/v2", jurisdiction=t.jurisdiction)
    as_xml = GeoReport(base + "/open311/v2", jurisdiction=t.jurisdiction, output_format="xml")

    services_json, services_xml = as_json.get_service_list(), as_xml.get_service_list()
    assert [s["service_code"] for s in services_xml] == [s["service_code"] for s in services_json]
    assert {s["service_name"] for s in services_xml} == {s["service_name"] for s in services_json}

    definition = as_xml.get_service_definition("sokak_hayvani")
    attrs = definition["attributes"]["attribute"]
    assert definition["service_code"] == "sokak_hayvani" and attrs[0]["code"] == "hayvan_turu"

    # compare JSON and XML once routing has settled (the pump routes in the background; the two reads
    # must see the same state of the request)
    deadline = time.monotonic() + 120  # a bound for a loaded machine, not a speed claim
    while not as_json.get_service_request(rid).get("agency_responsible") and time.monotonic() < deadline:
        time.sleep(0.3)
    one_json, one_xml = as_json.get_service_request(rid), as_xml.get_service_request(rid)
    for field, value in one_json.items():
        assert one_xml[field] == (None if value is None else str(value)), field
    assert one_json["service_code"] == "sokak_hayvani" and one_json["status"] == "open"

    listed = as_json.get_service_requests(service_request_id=rid)
    assert [r["service_request_id"] for r in listed] == [rid]
    assert rid in {r["service_request_id"] for r in as_json.get_service_requests(status="open")}
