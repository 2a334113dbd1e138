"""The columns of a CİMER / e-Devlet export: header aliases (Turkish or English, matched case- and
accent-insensitively) and the errors of reading a file. Shared by the CSV/JSON reader (inbound.py) and the
.xlsx reader (xlsx.py), which therefore do not import each other.
"""
from __future__ import annotations

import re
from typing import Any

from ...domain import turkish

FIELDS: dict[str, tuple[str, ...]] = {
    "application_number": ("basvuru no", "basvuru numarasi", "basvuru no.", "application number", "takip no",
                           "takip numarasi", "id", "no"),
    "date": ("basvuru tarihi", "tarih", "date", "application date", "olusturma tarihi"),
    "applicant_name": ("ad soyad", "adi soyadi", "basvuru sahibi", "applicant name", "name", "basvuran"),
    "contact": ("iletisim", "iletisim bilgisi", "contact", "telefon", "e-posta", "eposta", "phone", "email"),
    "subject": ("konu", "subject", "basvuru konusu"),
    "text": ("basvuru metni", "metin", "aciklama", "text", "icerik", "basvuru"),
    "address": ("adres", "address"),
    "legal_basis": ("kanun", "yasal dayanak", "legal basis", "basvuru turu"),
    "tc_kimlik_no": ("tc kimlik no", "tc kimlik", "tckn", "tc no", "tc kimlik numarasi", "tc_kimlik_no"),
    "neighbourhood": ("mahalle", "neighbourhood"),
}


class FileError(Exception):
    """The file as a whole cannot be read (nothing imported)."""


class RowError(Exception):
    """One row is unusable; the others still import."""


def fold(name: str) -> str:
    """A header or keyword as compared: Turkish-folded, '_'/'-' as spaces, single spaces, no trailing '.:'."""
    return re.sub(r"\s+", " ", turkish.fold(str(name).replace("_", " ").replace("-", " "))).strip(" .:")


ALIASES = {fold(alias): field for field, aliases in FIELDS.items() for alias in (field, *aliases)}


def canonical(record: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in record.items():
        field = ALIASES.get(fold(key))
        if field and value not in (None, "") and field not in out:
            out[field] = str(value).strip()
    return out
