"""CİMER application exports (CSV, JSON or .xlsx) → IntakeCommand, with the legal answer deadline as due_at.

CİMER has no public API: institutions export applications from the CİMER panel (or type them into a
spreadsheet). Pure parsing; the same reader serves e-Devlet exports (channels/edevlet/inbound.py).

Columns (header names are matched case- and accent-insensitively; Turkish or English):
  Başvuru No | application_number    (required, idempotency key)
  Başvuru Tarihi | date              (required; 20.11.2026 14:35, 2026-11-20T14:35:00+03:00, 20.11.2026)
  Ad Soyad | applicant_name
  İletişim | contact                 (phone or e-mail)
  Konu | subject
  Başvuru Metni | text               (required)
  Adres | address
  Kanun | legal_basis                (3071 = Dilekçe Hakkı, 30 days; 4982 = Bilgi Edinme, 15 working days)
  TC Kimlik No | tc_kimlik_no        (optional, checksum-validated)
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator

from ..local_time import TURKEY, parse_local
from ...domain.models import Channel, Citizen, IntakeCommand, Location
from .columns import ALIASES, FIELDS, FileError, RowError, canonical, fold  # noqa: F401  (FIELDS re-exported)

TZ = TURKEY


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1254"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("Dosya kodlaması okunamadı (UTF-8 veya Windows-1254 olmalı) / unreadable file encoding")


def read_records(content: bytes | str, fmt: str | None = None) -> list[dict[str, Any]]:
    """CSV (comma or semicolon, UTF-8 or Windows-1254), JSON (a list, or {"applications"|"items": [...]})
    or .xlsx (first sheet with a 'Başvuru No' header; size-, ratio- and row-limited, see xlsx.py)."""
    from . import xlsx

    if (fmt or "").lower() == "xlsx" or xlsx.is_xlsx(content):
        if isinstance(content, str):
            raise FileError("Dosya bir .xlsx (Excel 2007+) dosyası değil / not an .xlsx file")
        return xlsx.read_xlsx(content)
    text = _decode(content)
    if not text.strip():
        raise FileError("Dosya boş / file is empty")
    fmt = (fmt or ("json" if text.lstrip()[:1] in "[{" else "csv")).lower()
    if fmt == "json":
        try:
            data = json.loads(text)
        except ValueError:
            raise FileError("JSON okunamadı / malformed JSON") from None
        if isinstance(data, dict):
            data = data.get("applications") or data.get("basvurular") or data.get("items") or data.get("rows")
        if not isinstance(data, list):
            raise FileError("JSON bir başvuru listesi olmalı / JSON must be a list of applications")
        return [r if isinstance(r, dict) else {"__invalid__": r} for r in data]
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)  # csv wants raw newlines
        if not reader.fieldnames or not any(ALIASES.get(fold(h)) == "application_number"
                                            for h in reader.fieldnames):
            raise FileError("Başlık satırında 'Başvuru No' sütunu yok / header row lacks 'Başvuru No'")
        return [dict(row) for row in reader]
    except csv.Error as exc:
        raise FileError(f"CSV okunamadı / malformed CSV ({exc})") from None


_DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                 "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def parse_date(value: str) -> datetime:
    parsed = parse_local(value, _DATE_FORMATS)
    if parsed is None:
        raise RowError("Başvuru tarihi anlaşılamadı (GG.AA.YYYY SS:DD) / date not understood")
    return parsed


def _holidays(years: set[int]) -> set[date]:
    try:
        import holidays  # optional: the SLA calendar module may provide it

        out: set[date] = set()
        for year in years:
            out |= set(holidays.country_holidays("TR", years=year).keys())
        return out
    except ImportError:  # fixed-date national holidays only (religious holidays move every year)
        fixed = ((1, 1), (4, 23), (5, 1), (5, 19), (7, 15), (8, 30), (10, 29))
        return {date(y, m, d) for y in years for m, d in fixed}


def add_working_days(start: date, days: int) -> date:
    off = _holidays({start.year, start.year + 1})
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


def legal_due(received: datetime, basis: str) -> datetime:
    """3071 (Dilekçe Hakkı): 30 days; 4982 (Bilgi Edinme): 15 working days. End of that day, Istanbul time."""
    local = received.astimezone(TZ).date()
    last = add_working_days(local, 15) if basis == "4982" else local + timedelta(days=30)
    return datetime.combine(last, time(23, 59, 59), tzinfo=TZ)


def _basis(value: str | None) -> str:
    if not value:
        return "3071"
    folded = fold(value)
    if "4982" in folded or "bilgi" in folded:
        return "4982"
    if "3071" in folded or "dilekce" in folded or "sikayet" in folded or "talep" in folded:
        return "3071"
    raise RowError("Kanun 3071 veya 4982 olmalı / legal_basis must be 3071 or 4982")


def legal_basis_of(record: dict[str, Any]) -> str | None:
    try:
        return _basis(canonical(record).get("legal_basis"))
    except RowError:
        return None


def row_command(record: dict[str, Any], channel: Channel = Channel.cimer, *, actor: str = "import") -> IntakeCommand:
    if "__invalid__" in record:
        raise RowError("Satır bir nesne değil / row is not an object")
    row = canonical(record)
    number = row.get("application_number")
    if not number:
        raise RowError("Başvuru No boş / application number is empty")
    if not row.get("text") and not row.get("subject"):
        raise RowError("Başvuru metni boş / application text is empty")
    if not row.get("date"):
        raise RowError("Başvuru tarihi boş / application date is empty")
    received = parse_date(row["date"])
    basis = _basis(row.get("legal_basis"))
    contact = row.get("contact") or ""
    try:
        citizen = Citizen(
            name=row.get("applicant_name"),
            email=contact if "@" in contact else None,
            phone=contact if contact and "@" not in contact else None,
            tc_kimlik_no=row.get("tc_kimlik_no"),
        )
    except ValueError as exc:
        msgs = [e.get("msg", "").removeprefix("Value error, ") for e in getattr(exc, "errors", lambda: [])()]
        raise RowError("; ".join(m for m in msgs if m) or "İletişim bilgisi geçersiz / invalid contact") from None
    subject = row.get("subject")
    body = row.get("text") or ""
    text = f"{subject}\n\n{body}".strip() if subject and subject not in body else (body or subject or "")
    location = None
    if row.get("address") or row.get("neighbourhood"):
        location = Location(address=(row.get("address") or None) and row["address"][:500],
                            neighbourhood=row.get("neighbourhood"))
    return IntakeCommand(
        channel=channel,
        channel_ref=f"{number}"[:200],
        text=text[:20000],
        received_at=received,
        citizen=citizen,
        location=location,
        due_at=legal_due(received, basis),
        actor=actor,
    )


def iter_commands(records: list[dict[str, Any]], channel: Channel, *, actor: str = "import"
                  ) -> Iterator[tuple[int, str | None, IntakeCommand | None, str | None]]:
    """(row number, application number, command or None, error or None) for each record; row 1 = first data row."""
    for i, record in enumerate(records, start=1):
        number = canonical(record).get("application_number") if isinstance(record, dict) else None
        try:
            yield i, number, row_command(record, channel, actor=actor), None
        except RowError as exc:
            yield i, number, None, str(exc)
        except ValueError as exc:  # pydantic validation of the command (lengths etc.)
            yield i, number, None, "Geçersiz satır / invalid row: " + str(exc).splitlines()[0][:200]
