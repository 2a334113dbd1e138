"""CİMER / e-Devlet imports (API + CLI) and staff entry for Beyaz Masa and Şeffaf Oda."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.channels.cimer import inbound as cimer
from tests.conftest import FIXTURES, auth
from tests.support.cli_imports import via_test_client

TZ = ZoneInfo("Europe/Istanbul")


def test_legal_deadlines():
    received = datetime(2026, 11, 23, 16, 2, tzinfo=TZ)  # a Monday
    assert cimer.legal_due(received, "3071").date().isoformat() == "2026-12-23"
    assert cimer.legal_due(received, "4982").date().isoformat() == "2026-12-14"  # 15 working days
    # 29 Oct (Cumhuriyet Bayramı) is not a working day
    assert cimer.legal_due(datetime(2026, 10, 26, 9, tzinfo=TZ), "4982").date().isoformat() == "2026-11-17"


def test_headers_match_in_turkish_or_english_and_bad_files_are_rejected_whole():
    assert cimer.canonical({"BAŞVURU NO": "1", "başvuru_metni": "x", "Application Date": "2026-11-01"}) == \
        {"application_number": "1", "text": "x", "date": "2026-11-01"}
    with pytest.raises(cimer.FileError):
        cimer.read_records(b"")
    with pytest.raises(cimer.FileError):
        cimer.read_records(b"isim,metin\nA,B\n")
    with pytest.raises(cimer.FileError):
        cimer.read_records(b"{not json", "json")
    cp1254 = "Başvuru No;Başvuru Tarihi;Başvuru Metni\n9;01.11.2026;Çukur var\n".encode("cp1254")
    assert cimer.canonical(cimer.read_records(cp1254)[0])["text"] == "Çukur var"


def _import(client, path, body, ctype, role="agent"):
    headers = {**auth(role), "Content-Type": ctype}
    return client.http.post(path, headers=headers, body=body)


def test_cimer_csv_import_reports_bad_rows_dedupes_and_routes(client, pump):
    body = (FIXTURES / "cimer/basvurular.csv").read_bytes()
    r = _import(client, "/imports/cimer", body, "text/csv")
    assert r.status_code == 200, r.body
    report = r.json_body
    assert (report["total"], report["created"], report["duplicates"], report["failed"]) == (6, 3, 1, 2)
    assert [e["row"] for e in report["errors"]] == [3, 6]
    assert "tarih" in report["errors"][0]["message"] and "Başvuru No" in report["errors"][1]["message"]
    legal = {i["application_number"]: i["due_at"] for i in report["items"]}
    assert legal["2026/4815165"].startswith("2026-12-14T23:59:59+03:00")  # Law 4982: 15 working days
    assert legal["2026/4815162"].startswith("2026-12-20T23:59:59+03:00")  # Law 3071: 30 days
    again = _import(client, "/imports/cimer", body, "text/csv").json_body
    assert (again["created"], again["duplicates"], again["failed"]) == (0, 4, 2)
    pump.drain()
    items = client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"]
    assert len(items) == 3
    by_ref = {i["channel_ref"]: i for i in items}
    info = by_ref["2026/4815165"]
    for ref, item in by_ref.items():  # the router may tighten to the department SLA, never loosen
        assert datetime.fromisoformat(item["due_at"]) <= datetime.fromisoformat(legal[ref])
    assert datetime.fromisoformat(by_ref["2026/4815162"]["received_at"]) == datetime(2026, 11, 20, 14, 35, tzinfo=TZ)
    assert by_ref["2026/4815162"]["department"] == "temizlik" and by_ref["2026/4815162"]["status"] == "routed"
    assert by_ref["2026/4815163"]["department"] == "park"
    got = client.http.get(f"/requests/{info['id']}", headers=auth("admin")).json_body
    legal_events = [e for e in got["timeline"] if e["type"] == "legal_deadline"]
    assert len(legal_events) == 1 and legal_events[0]["data"]["legal_basis"] == "4982"


def test_json_import_and_auth(client, pump):
    body = (FIXTURES / "cimer/basvurular.json").read_bytes()
    assert _import(client, "/imports/cimer", body, "application/json", role="viewer").status_code == 403
    assert client.http.post("/imports/cimer", body=body, headers={"Content-Type": "application/json"}) \
        .status_code == 401
    r = _import(client, "/imports/cimer", body, "application/json", role="admin")
    assert r.status_code == 200 and r.json_body["created"] == 2
    bad = _import(client, "/imports/cimer", b"{\"applications\": 3}", "application/json")
    assert bad.status_code == 400 and "liste" in bad.json_body["error"]["message"]


def test_cli_import_of_e_devlet_with_progress_and_report(client, pump, tmp_path, monkeypatch, capsys):
    from ulakbel_cli import imports as cli
    from ulakbel_cli.main import main

    calls: list[str] = []
    monkeypatch.setattr(cli, "_post", via_test_client(client, calls))
    report_file = tmp_path / "rapor.json"
    code = main(["import", "e-devlet", str(FIXTURES / "edevlet/basvurular.csv"), "--chunk", "1",
                 "--report", str(report_file), "--url", "http://127.0.0.1:8000"])
    assert code == 0
    assert calls == ["http://127.0.0.1:8000/imports/e-devlet?first_row=1",
                     "http://127.0.0.1:8000/imports/e-devlet?first_row=2"]
    report = json.loads(report_file.read_text())
    assert report["created"] == 2 and [i["row"] for i in report["items"]] == [1, 2]
    assert "2 yeni" in capsys.readouterr().out
    # the CİMER file with bad rows: exit 1 and the rows named, with file-wide row numbers
    code = main(["import", "cimer", str(FIXTURES / "cimer/basvurular.csv"), "--chunk", "4",
                 "--url", "http://127.0.0.1:8000"])
    out = capsys.readouterr().out
    assert code == 1 and "satır/row 3" in out and "satır/row 6" in out
    pump.drain()
    items = client.http.get("/requests?channel=e_devlet", headers=auth("admin")).json_body["items"]
    assert {i["channel_ref"] for i in items} == {"ED-2026-000731", "ED-2026-000732"}
    assert all(i["department"] for i in items)


def test_cli_rejects_an_unreadable_file(tmp_path, capsys):
    from ulakbel_cli.main import main

    f = tmp_path / "x.csv"
    f.write_text("ad,soyad\n")
    assert main(["import", "cimer", str(f)]) == 2
    assert "Başvuru No" in capsys.readouterr().err


def test_seffaf_oda_meeting_goes_to_ozel_kalem_at_once(client, pump):
    body = {"channel": "seffaf_oda", "channel_ref": "seffaf-2026-11-27-03",
            "text": "Başkanla Baş Başa görüşmesinde vatandaş, kentsel dönüşüm sürecinde kira yardımı talep etti.",
            "citizen": {"name": "Gülsüm Aydın", "phone": "0533 987 65 43"},
            "meeting": {"date": "2026-11-27", "attendees": ["Belediye Başkanı", "Özel Kalem Müdürü"],
                        "topic": "Başkanla Baş Başa"}}
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert r.status_code == 201
    assert r.json_body["meeting"]["attendees"] == ["Belediye Başkanı", "Özel Kalem Müdürü"]
    assert client.http.post("/requests", headers=auth("agent"), body=json.dumps(body)).status_code == 200
    pump.drain()
    items = client.http.get("/requests?channel=seffaf_oda", headers=auth("admin")).json_body["items"]
    assert len(items) == 1 and items[0]["department"] == "ozel_kalem" and items[0]["status"] == "routed"
    bad = {**body, "meeting": {"date": "27.11.2026"}}
    assert client.http.post("/requests", headers=auth("agent"), body=json.dumps(bad)).status_code == 400


def test_beyaz_masa_walk_in_is_routed_by_subject(client, pump):
    body = {"channel": "beyaz_masa", "text": "Sokağımızdaki çöp konteyneri taşıyor, toplanmıyor.",
            "citizen": {"name": "Ali Veli"}, "location": {"address": "Mevlana Mahallesi"}}
    assert client.http.post("/requests", headers=auth("agent"), body=json.dumps(body)).status_code == 201
    pump.drain()
    items = client.http.get("/requests?channel=beyaz_masa", headers=auth("admin")).json_body["items"]
    assert items[0]["department"] == "temizlik"
