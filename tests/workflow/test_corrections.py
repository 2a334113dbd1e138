"""Issue 18: staff forwards, re-categorisations and kind changes are stored as labelled examples (PII scrubbed),
read back per month without a Scan, and the routed event names the model that decided."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .conftest import LEAD, OTHER, hh, post

PII_TEXT = {"channel": "phone",
            "text": "Ben Ayşe Yılmaz, 0532 111 22 33, ayse.yilmaz@example.com. Yenidoğan mahallesinde çöpler "
                    "toplanmadı, konteynerler taştı"}


def _corrections():
    from chalicelib import container

    now = datetime.now(timezone.utc)
    return container.repository().corrections(now - timedelta(days=40), now + timedelta(days=1))


def test_routed_event_records_the_model_version(make):
    from chalicelib.understanding.learned import get_model

    req = make()
    routed = [e for e in req["timeline"] if e["type"] == "routed"][0]
    assert routed["data"]["model_version"] == get_model().version


def test_forward_stores_a_correction_with_pii_scrubbed(client, make):
    req = make(PII_TEXT, citizen={"name": "Ayşe Yılmaz", "phone": "+905321112233"})
    assert _corrections() == []
    out = post(client, f"/requests/{req['id']}/forward", hh(LEAD),
               {"department": "park", "note": "park alanı", "version": req["version"]})
    assert out.status_code == 200, out.json_body
    [c] = _corrections()
    assert c["action"] == "forward" and c["request_id"] == req["id"] and c["actor"] == "department:lead-temizlik"
    assert c["old"]["department"] == "temizlik" and c["new"]["department"] == "park"
    assert c["changed"] == ["department"]
    assert c["old"]["category"] == req["category"] and c["old"]["kind"] == req["kind"]
    for secret in ("Ayşe", "Yılmaz", "0532", "111 22 33", "ayse.yilmaz@example.com"):
        assert secret not in c["text"]
    assert "çöpler toplanmadı" in c["text"]
    assert c["model_version"] == req["classification"]["model_version"]
    # the same event stored once even if recorded again (a retried request)
    from chalicelib import container

    assert container.repository().record_correction({**c}) is False
    assert len(_corrections()) == 1


def test_reclassify_category_and_kind_are_stored_as_corrections(client, make):
    req = make()
    assert req["category"] == "cop_toplama"
    out = post(client, f"/requests/{req['id']}/reclassify", hh(LEAD),
               {"category": "konteyner", "version": req["version"]})
    assert out.status_code == 200, out.json_body
    assert out.json_body["category"] == "konteyner" and out.json_body["department"] == "temizlik"
    ev = [e for e in out.json_body["timeline"] if e["type"] == "reclassified"][0]
    assert ev["data"]["before"]["category"] == "cop_toplama" and ev["data"]["after"]["category"] == "konteyner"
    out2 = post(client, f"/requests/{req['id']}/reclassify", hh(LEAD),
                {"kind": "talep", "version": out.json_body["version"]})
    assert out2.status_code == 200, out2.json_body
    assert out2.json_body["kind"] == "talep"
    first, second = _corrections()
    assert first["changed"] == ["category"] and first["new"]["category"] == "konteyner"
    assert second["changed"] == ["kind"] and second["old"]["kind"] == req["kind"] and second["new"]["kind"] == "talep"
    assert second["action"] == "reclassify"


def test_reclassify_refusals_store_nothing(client, make):
    req = make()
    # a category of another department is a forward, not a re-categorisation
    assert post(client, f"/requests/{req['id']}/reclassify", hh(LEAD),
                {"category": "park_bakim", "version": req["version"]}).status_code == 400
    assert post(client, f"/requests/{req['id']}/reclassify", hh(LEAD),
                {"category": "yok_boyle", "version": req["version"]}).status_code == 400
    assert post(client, f"/requests/{req['id']}/reclassify", hh(LEAD), {"version": req["version"]}).status_code == 400
    assert post(client, f"/requests/{req['id']}/reclassify", hh(OTHER),
                {"kind": "talep", "version": req["version"]}).status_code == 404
    assert post(client, f"/requests/{req['id']}/reclassify", hh(LEAD),
                {"kind": "talep", "version": req["version"] - 1}).status_code == 409
    assert post(client, f"/requests/{req['id']}/reclassify", {"Content-Type": "application/json"},
                {"kind": "talep", "version": req["version"]}).status_code == 401
    assert _corrections() == []
