"""Issue 22, the .xlsx limits the first tests left unproven: filled cells, columns far to the right, too many zip
parts, an encrypted part. Each crafted file is refused with a clear message (or, for the wide row, read within
bounds) and openpyxl is never handed an unchecked container."""
from __future__ import annotations

import io
import zipfile

import pytest

from chalicelib.channels.cimer import inbound as cimer
from chalicelib.channels.cimer import xlsx
from tests.support import xlsx_files


def test_filled_cells_are_bounded_separately_from_rows():
    limits = xlsx.Limits(max_rows=1000, max_scanned_rows=2000, max_cells=100)
    assert len(xlsx.read_xlsx(xlsx_files.many_rows(33), limits)) == 33  # 3 cells a row: 99
    with pytest.raises(cimer.FileError, match="too many filled cells"):
        xlsx.read_xlsx(xlsx_files.many_rows(34), limits)


def test_a_cell_far_to_the_right_is_not_read():
    """Column XFD (16 384): only the first max_columns columns of a row are ever materialised."""
    row = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Başvuru No</t></is></c>'
           '<c r="B1" t="inlineStr"><is><t>Başvuru Tarihi</t></is></c>'
           '<c r="C1" t="inlineStr"><is><t>Başvuru Metni</t></is></c></row>'
           '<row r="2"><c r="A2" t="inlineStr"><is><t>2026/1</t></is></c>'
           '<c r="B2" t="inlineStr"><is><t>20.11.2026</t></is></c>'
           '<c r="C2" t="inlineStr"><is><t>Çukur var</t></is></c>'
           '<c r="XFD2" t="inlineStr"><is><t>gizli sütun</t></is></c></row>')
    body = xlsx_files.replace_member(xlsx_files.cimer_export(), "xl/worksheets/sheet1.xml", xlsx_files.sheet_xml(row))
    records = xlsx.read_xlsx(body)
    assert len(records) == 1 and "gizli sütun" not in repr(records)


def test_too_many_parts_and_encrypted_parts_are_refused(monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl must not be reached"))
    src = zipfile.ZipFile(io.BytesIO(xlsx_files.cimer_export()))
    parts = {n: src.read(n) for n in src.namelist()}
    crowded = xlsx_files.zip_with({**parts, **{f"xl/media/x{i}.bin": b"" for i in range(250)}})
    with pytest.raises(cimer.FileError, match="too many parts"):
        cimer.read_records(crowded)

    # mark the sheet "encrypted" (general purpose flag bit 0) in its central directory record, as a
    # password-protected part would be; Python's zipfile will not write that bit itself
    raw = bytearray(xlsx_files.zip_with(parts))
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(raw[at + 28:at + 30], "little")
        if bytes(raw[at + 46:at + 46 + length]) == b"xl/worksheets/sheet1.xml":
            raw[at + 8] |= 0x1
        at = raw.find(b"PK\x01\x02", at + 4)
    assert any(m.flag_bits & 1 for m in zipfile.ZipFile(io.BytesIO(bytes(raw))).infolist())
    with pytest.raises(cimer.FileError, match="encrypted"):
        cimer.read_records(bytes(raw))


def test_the_file_size_limit_is_checked_before_anything_is_parsed(monkeypatch):
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("nothing may be parsed"))
    with pytest.raises(cimer.FileError, match="5 MB"):
        xlsx.check_container(xlsx.ZIP_MAGIC + b"\x01" * (5 * 1024 * 1024 + 1))
