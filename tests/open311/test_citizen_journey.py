"""A citizen's whole journey through a spec-only Open311 client: discover → services → post → routed →
the department resolves it with a reply → the app sees `closed`, the reply in status_notes and as an update."""
from __future__ import annotations

import json

from tests.conftest import auth

from .client import Open311Client, Open311Error, chalice_transport
from .conftest import DEV_KEY, validate


def test_full_journey_post_pump_route_resolve(client, pump, dev_key):
    app = Open311Client(chalice_transport(client), "/open311/v2/discovery", api_key=DEV_KEY)
    assert app.base == "/open311/v2"
    services = app.services()
    validate(services, "services.json")
    service = next(s for s in services if s["service_code"] == "konteyner")
    assert service["metadata"] is True
    definition = app.service_definition("konteyner")
    validate(definition, "service-definition.json")
    choice = definition["attributes"][0]

    created = app.post_request(
        "konteyner", lat="38.6920", long="35.5480",
        description="Sokağımızdaki çöp konteyneri kırık, kapağı yok",
        media_url="https://cdn.example.org/konteyner.jpg", first_name="Mehmet", phone="0532 123 45 67",
        attribute={choice["code"]: choice["values"][0]["key"]},
    )
    rid = created[0]["service_request_id"]

    first = app.request(rid)
    validate([first], "requests.json")
    assert first["status"] == "open" and first["agency_responsible"] is None

    pump.drain()  # DynamoDB stream → route_requests → department queue

    routed = app.request(rid)
    assert routed["status"] == "open"
    assert routed["agency_responsible"] == "Temizlik İşleri Müdürlüğü"
    assert "müdürlüğe iletildi" in routed["status_notes"]
    assert routed["service_code"] == "konteyner"  # the app's service_code is honoured, not re-guessed

    staff = json.loads(client.http.get("/requests?channel=mobile_app", headers=auth("admin")).body)["items"][0]
    assert staff["department"] == "temizlik" and staff["status"] == "routed"
    dept = auth("department", "temizlik")
    r = client.http.post(f"/requests/{staff['id']}/status", headers=dept,
                         body=json.dumps({"status": "resolved", "note": "Konteyner yenisiyle değiştirildi.",
                                          "version": staff["version"]}))
    assert r.status_code == 200, r.body

    done = app.request(rid)
    validate([done], "requests.json")
    assert done["status"] == "closed"
    assert done["status_notes"] == "Çözüldü / resolved — Konteyner yenisiyle değiştirildi."
    assert done["updated_datetime"] >= routed["updated_datetime"]

    updates = app.updates(service_request_id=rid)
    assert [u["status"] for u in updates] == ["OPEN", "FIXED"]
    assert updates[-1]["description"] == "Konteyner yenisiyle değiştirildi."
    assert all(u["service_request_id"] == rid for u in updates)
    # without ids: every mobile-app update in the window
    assert [u["update_id"] for u in app.updates()] == [u["update_id"] for u in updates]

    from .client import xml_records

    xml = client.http.get(f"/open311/v2/servicerequestupdates.xml?service_request_id={rid}")
    assert xml.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert [u["update_id"] for u in xml_records(xml.body, "request_update")] == [u["update_id"] for u in updates]

    closed = app.requests(status="closed")
    assert [i["service_request_id"] for i in closed] == [rid]

    try:
        app.api_key = "stolen"
        app.post_request("konteyner", lat="38.69", long="35.55")
        raise AssertionError("expected 403")
    except Open311Error as exc:
        assert exc.status == 403 and exc.errors[0]["code"] == 403
