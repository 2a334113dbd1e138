"""Analytics counters from the stream, the dashboard JSON and exports (issue 9)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tests.conftest import auth

BODIES = [
    ("phone", "Yenidoğan mahallesinde çöpler üç gündür toplanmadı"),
    ("sms", "Yenidoğan mahallesinde çöp konteyneri taşıyor, toplanmadı"),
    ("email", "Mevlana mahallesindeki parkta salıncak kırılmış, çocuklar için tehlikeli"),
]


def _create(client, channel, text, ref):
    body = {"channel": channel if channel in ("phone", "beyaz_masa") else "phone", "channel_ref": ref, "text": text}
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert r.status_code == 201, r.json_body
    return r.json_body


def _summary(client, role="admin", department=None, query=""):
    r = client.http.get(f"/analytics/summary{query}", headers=auth(role, department))
    assert r.status_code == 200, r.json_body
    return r.json_body


def _stream_records(aws):
    import boto3

    streams = boto3.client("dynamodbstreams", region_name="eu-central-1")
    shard = streams.describe_stream(StreamArn=aws["stream_arn"])["StreamDescription"]["Shards"][0]
    it = streams.get_shard_iterator(StreamArn=aws["stream_arn"], ShardId=shard["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    return streams.get_records(ShardIterator=it, Limit=1000)["Records"]


def test_counters_follow_intake_routing_and_status_changes(client, pump, aws):
    made = [_create(client, ch, text, f"ref-{i}") for i, (ch, text) in enumerate(BODIES)]
    pump.drain()
    data = _summary(client)
    # the second rubbish report is clustered into the first (status duplicate): counted, but not open
    assert data["totals"]["count"] == 3 and data["totals"]["open"] == 2
    cells = {(r["neighbourhood"], r["category"]): r["count"] for r in data["matrix"]}
    # routing moved the counts from the unclassified cell to the classified one
    assert not any(n == "-" for n, _ in cells), cells
    assert sum(cells.values()) == 3
    temizlik = next(d for d in data["departments"] if d["department"] == "temizlik")
    assert temizlik["count"] == 2

    got = client.http.get(f"/requests/{made[0]['id']}", headers=auth("admin")).json_body
    r = client.http.post(f"/requests/{got['id']}/status", headers=auth("admin"),
                         body=json.dumps({"status": "resolved", "version": got["version"]}))
    assert r.status_code == 200, r.json_body
    pump.drain()
    data = _summary(client)
    assert data["totals"]["count"] == 3
    assert data["totals"]["open"] == 1 and data["totals"]["resolved"] == 1


def test_redelivered_stream_records_do_not_double_counters(client, pump, aws):
    for i, (ch, text) in enumerate(BODIES):
        _create(client, ch, text, f"dup-{i}")
    pump.drain()
    before = _summary(client)
    records = _stream_records(aws)
    assert records
    for _ in range(3):  # the same batch delivered again, as Lambda may after a timeout
        out = pump.invoke("aggregate_requests", {"Records": records})
        assert out == {"batchItemFailures": []}
    assert _summary(client) == before


def test_department_member_sees_only_own_department(client, pump, aws):
    for i, (ch, text) in enumerate(BODIES):
        _create(client, ch, text, f"d-{i}")
    pump.drain()
    data = _summary(client, "department", "temizlik", "?department=park")
    assert data["filters"]["department"] == "temizlik"
    assert {d["department"] for d in data["departments"]} == {"temizlik"}
    assert data["totals"]["count"] == 2


def test_bad_filters_are_400(client, aws):
    for q in ("?since=yesterday", "?since=2026-05-01&until=2026-04-01", "?since=2020-01-01&until=2026-01-01"):
        r = client.http.get(f"/analytics/summary{q}", headers=auth("admin"))
        assert r.status_code == 400, q
    assert client.http.get("/analytics/summary").status_code == 401


def test_csv_and_xlsx_export(client, pump, aws):
    for i, (ch, text) in enumerate(BODIES):
        _create(client, ch, text, f"x-{i}")
    pump.drain()
    r = client.http.get("/analytics/export?format=csv", headers=auth("viewer"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    text = r.body.decode("utf-8-sig")
    assert "# mahalle_kategori" in text and "temizlik" in text
    r = client.http.get("/analytics/export?format=xlsx", headers={**auth("viewer"), "Accept": "*/*"})
    assert r.status_code == 200
    import base64
    import io

    from openpyxl import load_workbook

    body = r.body
    if not body.startswith(b"PK"):
        body = base64.b64decode(body)
    book = load_workbook(io.BytesIO(body))
    assert set(book.sheetnames) == {"mahalle_kategori", "mudurlukler", "kanallar"}
    assert book["mudurlukler"]["A1"].value == "department"
    assert client.http.get("/analytics/export?format=pdf", headers=auth("viewer")).status_code == 400


INJECTED = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_exports_neutralise_formula_injection(client, pump, aws):
    """Neighbourhood names can come from imports: no cell may start a formula in CSV or XLSX."""
    import base64
    import csv
    import io

    from openpyxl import load_workbook

    from chalicelib import container
    from chalicelib.domain.models import Channel, IntakeCommand, Location
    from chalicelib.usecases.intake import intake

    for i, name in enumerate(INJECTED):
        intake(IntakeCommand(channel=Channel.phone, text="Çöp toplanmadı", channel_ref=f"inj-{i}",
                             location=Location(neighbourhood=name)), container.repository())
    pump.drain()
    r = client.http.get("/analytics/export?format=csv", headers=auth("admin"))
    assert r.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(r.body.decode("utf-8-sig"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells  # kept, as text
    r = client.http.get("/analytics/export?format=xlsx", headers={**auth("admin"), "Accept": "*/*"})
    body = r.body if r.body.startswith(b"PK") else base64.b64decode(r.body)
    book = load_workbook(io.BytesIO(body))
    values = [c.value for ws in book for row in ws.iter_rows() for c in row]
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [v for v in values if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert all(isinstance(v, (int, float)) or v is None or isinstance(v, str) for v in values)
