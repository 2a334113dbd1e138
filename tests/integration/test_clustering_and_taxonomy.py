"""The router uses the classifier: duplicate clustering and data-driven routing, through the real stream."""
from __future__ import annotations

import json

import yaml

from tests.conftest import auth


def _post(client, text, ref, channel="whatsapp"):
    r = client.http.post("/requests", headers=auth("agent"),
                         body=json.dumps({"channel": "phone" if channel == "whatsapp" else channel,
                                          "channel_ref": ref, "text": text}))
    assert r.status_code == 201, r.json_body
    return r.json_body


def test_similar_reports_cluster_into_one_task_with_a_count(client, pump):
    first = _post(client, "Yenidoğan mahallesinde çöpler toplanmadı, konteyner taştı", "a1")
    pump.drain()
    second = _post(client, "Yenidogan mah cöpler 3 gündür toplanmıyor konteyner tasmis", "a2")
    other = _post(client, "Harman mahallesinde çöpler toplanmadı", "a3")  # another neighbourhood
    pump.drain()
    admin = auth("admin")
    s = client.http.get(f"/requests/{second['id']}", headers=admin).json_body
    assert s["status"] == "duplicate" and s["duplicate_of"] == first["id"]
    assert s["tracking_code"] != first["tracking_code"]  # the citizen keeps their own code
    f = client.http.get(f"/requests/{first['id']}", headers=admin).json_body
    assert f["duplicate_count"] == 1
    assert client.http.get(f"/requests/{other['id']}", headers=admin).json_body["status"] == "routed"
    tasks = client.http.get("/departments/temizlik/tasks?max=10", headers=auth("department", "temizlik")).json_body
    assert sorted(t["request_id"] for t in tasks["tasks"]) == sorted([first["id"], other["id"]])


def test_changing_the_taxonomy_file_changes_routing(client, pump, tmp_path, monkeypatch):
    from chalicelib import understanding as routing
    from chalicelib.understanding.data import DATA_DIR

    doc = yaml.safe_load((DATA_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    for c in doc["categories"]:
        if c["code"] == "cop_toplama":
            c["department"] = "zabita"
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("ULAKBEL_TAXONOMY_FILE", str(path))
    routing.reload()
    try:
        created = _post(client, "Harman mahallesinde çöpler toplanmadı", "t1")
        pump.drain()
        got = client.http.get(f"/requests/{created['id']}", headers=auth("admin")).json_body
        assert got["department"] == "zabita" and got["category"] == "cop_toplama"
        assert got["classification"]["explanation"]
    finally:
        monkeypatch.delenv("ULAKBEL_TAXONOMY_FILE")
        routing.reload()


def test_unclear_message_goes_to_triage_not_a_guess(client, pump):
    created = _post(client, "Bu konuda ne yapılacak acaba", "u1")
    pump.drain()
    got = client.http.get(f"/requests/{created['id']}", headers=auth("admin")).json_body
    assert got["status"] == "routed" and got["department"] is None
    assert got["classification"]["needs_triage"] is True
    leased = client.http.get("/departments/triage/tasks", headers=auth("agent")).json_body["tasks"]
    assert [t["request_id"] for t in leased] == [created["id"]]
    assert client.http.get("/departments/triage/tasks", headers=auth("department", "fen")).status_code == 403


def test_classify_cli_contract():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "classify"], cwd=root, text=True,
                         input='{"text": "KİÇİKÖY\'DE ÇÖPLER TOPLANMADI"}\nparkta ağaç devrildi\n',
                         capture_output=True, check=True)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"department", "category", "neighbourhood", "kind", "confidence", "explanation",
                             "triage", "model_version"}  # issue 18 adds the last two
    assert lines[0]["department"] == "temizlik" and lines[0]["neighbourhood"] == "Kiçiköy"
    assert isinstance(lines[0]["triage"], bool) and lines[0]["model_version"].startswith("lr-")
    assert lines[1]["department"] == "park" and lines[1]["neighbourhood"] is None
