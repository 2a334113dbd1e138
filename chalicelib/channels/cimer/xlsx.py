""".xlsx exports of CİMER / e-Devlet applications → the same records as a CSV row (header → text).

An uploaded spreadsheet is attacker-controlled input, so the zip container is checked before openpyxl
touches it: file size, member count and names, every member's declared uncompressed size (Python's zipfile
never inflates a member beyond its declared size, so these bounds hold even if the sizes lie), the
compressed/uncompressed ratio (zip bombs), encryption, and no DTDs in the XML (entity expansion). openpyxl
then reads in read-only (streaming) mode without external links, and the rows are bounded: a sheet of a
million empty rows or a huge shared-strings table is rejected, not walked.

Formula cells are never evaluated (openpyxl cannot, and we do not ask for Excel's cached result): a cell
holding `=HYPERLINK("http://…")` or `=cmd|' /C calc'!A0` is imported as that literal text. Exports
neutralise such text again (CSV formula-injection guard), so it is harmless data, visible to staff.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from .columns import ALIASES, FileError, fold

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
SHEET_ROW = "__sheet_row__"  # the row number staff see in Excel (title lines and blank rows counted)


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. A real CİMER export of 10 000 applications is ~2 MB zipped, ~15 MB unzipped."""

    max_file_bytes: int = 5 * 1024 * 1024
    max_members: int = 200
    max_member_bytes: int = 24 * 1024 * 1024  # one sheet or sharedStrings.xml, uncompressed
    max_total_bytes: int = 48 * 1024 * 1024  # all members, uncompressed
    max_ratio: int = 100  # uncompressed / compressed, per large member and for the whole file
    ratio_floor_bytes: int = 1024 * 1024  # small members may compress extremely well (empty styles etc.)
    max_rows: int = 10_000  # data rows (non-empty)
    max_scanned_rows: int = 20_000  # rows walked, empty ones included (a stray cell at row 1 048 576)
    max_columns: int = 64
    max_cells: int = 300_000  # non-empty cells
    header_search_rows: int = 20  # title lines above the header row ("CİMER Başvuru Listesi", export date)


LIMITS = Limits()


def is_xlsx(content: bytes | str) -> bool:
    return isinstance(content, (bytes, bytearray)) and bytes(content[:4]) == ZIP_MAGIC


def check_container(content: bytes, limits: Limits | None = None) -> None:
    """Reject anything that is not a small, sane .xlsx zip, from the zip directory alone (nothing inflated)."""
    limits = limits or LIMITS
    if len(content) > limits.max_file_bytes:
        raise FileError(f"Dosya {limits.max_file_bytes // (1024 * 1024)} MB sınırını aşıyor / "
                        f"file exceeds {limits.max_file_bytes // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FileError("Dosya bir .xlsx (Excel 2007+) dosyası değil; .xls ise Excel'de .xlsx olarak kaydedin / "
                        "not an .xlsx file (save .xls files as .xlsx)") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise FileError("Dosyada çok fazla parça var / too many parts in the file")
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise FileError("Dosya bir Excel çalışma kitabı değil / the file is not an Excel workbook")
        total = packed = 0
        for m in members:
            if m.flag_bits & 0x1:
                raise FileError("Şifreli dosya okunamaz / encrypted files are not supported")
            if m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise FileError("Desteklenmeyen sıkıştırma / unsupported compression")
            if m.file_size > limits.max_member_bytes:
                raise FileError("Dosyanın bir parçası çok büyük / a part of the file is too large")
            if m.file_size > limits.ratio_floor_bytes and m.file_size > limits.max_ratio * max(m.compress_size, 1):
                raise FileError("Dosya olağan dışı sıkıştırılmış (zip bombası?) / "
                                "abnormal compression ratio (zip bomb?)")
            total += m.file_size
            packed += m.compress_size
        if total > limits.max_total_bytes:
            raise FileError("Dosyanın açılmış boyutu çok büyük / the file is too large when unpacked")
        if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(packed, 1):
            raise FileError("Dosya olağan dışı sıkıştırılmış (zip bombası?) / abnormal compression ratio (zip bomb?)")
        for m in members:  # a DTD is never needed in OOXML; refusing it stops entity-expansion tricks early
            if m.filename.endswith((".xml", ".rels")):
                with archive.open(m) as fh:
                    head = fh.read(2048)
                if b"<!doctype" in head.lower() or b"<!entity" in head.lower():
                    raise FileError("Dosyada izin verilmeyen XML bildirimi var / the file contains a DTD")


def _text(value: Any) -> str | None:
    """A cell value as the text a CSV export would carry (formulas stay their literal text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))  # 4815162.0 → "4815162" (numbers typed into Excel as numbers)
    text = str(value).strip()
    return text or None


def _is_header(row: tuple) -> bool:
    return any(ALIASES.get(fold(v)) == "application_number" for v in row if isinstance(v, str))


def read_xlsx(content: bytes, limits: Limits | None = None) -> list[dict[str, Any]]:
    """The data rows of the first sheet that has a 'Başvuru No' header, as {header: text}; blank rows skipped."""
    limits = limits or LIMITS
    check_container(bytes(content), limits)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except FileError:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, ParseError, TypeError…) on malformed parts
        raise FileError("Excel dosyası okunamadı / the .xlsx file could not be read") from None
    try:
        for ws in wb.worksheets[:10]:
            records = _sheet_records(ws, limits)
            if records is not None:
                return records
    except FileError:
        raise
    except Exception:
        raise FileError("Excel dosyası okunamadı / the .xlsx file could not be read") from None
    finally:
        wb.close()
    raise FileError("Başlık satırında 'Başvuru No' sütunu yok / header row lacks 'Başvuru No'")


def _sheet_records(ws, limits: Limits) -> list[dict[str, Any]] | None:
    header: list[str | None] | None = None
    records: list[dict[str, Any]] = []
    cells = 0
    rows = ws.iter_rows(min_row=1, max_row=limits.max_scanned_rows + 1, max_col=limits.max_columns,
                        values_only=True)
    for scanned, row in enumerate(rows, start=1):
        if scanned > limits.max_scanned_rows:
            raise FileError(f"Sayfada çok fazla satır var (en çok {limits.max_scanned_rows}) / "
                            f"too many rows in the sheet (at most {limits.max_scanned_rows})")
        if header is None:
            if scanned > limits.header_search_rows:
                return None
            if _is_header(row):
                header = [(_text(v) if v is not None else None) for v in row]
            continue
        record: dict[str, Any] = {}
        for name, value in zip(header, row):
            text = _text(value)
            if name and text is not None and name not in record:
                record[name] = text
        if not record:
            continue
        record[SHEET_ROW] = scanned
        cells += len(record) - 1
        if len(records) >= limits.max_rows:
            raise FileError(f"Dosyada çok fazla başvuru var (en çok {limits.max_rows} satır) / "
                            f"too many applications in the file (at most {limits.max_rows} rows)")
        if cells > limits.max_cells:
            raise FileError(f"Dosyada çok fazla dolu hücre var (en çok {limits.max_cells}) / "
                            f"too many filled cells in the file (at most {limits.max_cells})")
        records.append(record)
    return records if header is not None else None
