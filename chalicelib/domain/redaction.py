"""Personal data out of text that the public may read (Open311 answers, public notes). Pure functions.

Removes TC kimlik numbers (checksum-valid 11 digits), phone numbers (libphonenumber's matcher, Turkish
region by default, plus any run of 10+ digits that looks like one), e-mail addresses, IBANs (TR and any
other country), Turkish vehicle plates (e.g. `38 ABC 123`), house/flat numbers, and the names the request carries. What is
left is safe to publish; a citizen's own words stay readable.
"""
from __future__ import annotations

import re
from typing import Iterable

from .contact import is_valid_tc_kimlik
from .turkish import lower

MASK = "[gizlendi]"  # what replaces a removed piece ("hidden")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}", re.UNICODE)
IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")
# Plates: province 01..81, 1-3 letters, 2-4 digits ("38 ABC 123", "06AB1234", "34 A 1234").
PLATE = re.compile(r"(?<![\w])(?:0[1-9]|[1-7]\d|8[01])[ -]?[A-ZÇĞİÖŞÜ]{1,3}[ -]?\d{2,4}(?![\w])", re.IGNORECASE)
ELEVEN = re.compile(r"(?<!\d)\d{11}(?!\d)")
SPACED_ELEVEN = re.compile(r"(?<!\d)\d(?:[ .-]?\d){10}(?!\d)")
# House, flat and floor numbers ("No: 12/3", "Daire 9", "Kat 2"): the street may stay, the door may not
# (the coordinates are rounded to ~100 m for the same reason).
HOUSE = re.compile(r"(?<![\w])(?:No|Numara|Nu|Daire|Dr|D|Kat|Blok|Apt)\s*[:.]?\s*\d+[A-Za-z]?(?:\s*/\s*\d+[A-Za-z]?)?(?![\w])",
                   re.IGNORECASE)
LONG_DIGITS = re.compile(r"(?<![\w])\+?\d(?:[\s().-]{0,2}\d){9,14}(?![\w])")


def _iban_valid(raw: str) -> bool:
    if not 15 <= len(raw) <= 34:
        return False
    rotated = raw[4:] + raw[:4]
    return int("".join(str(int(ch, 36)) for ch in rotated)) % 97 == 1


def _iban(match: re.Match) -> str:
    """The longest prefix of the candidate that is an IBAN (mod-97), or any TR-shaped 26 characters."""
    text = match.group(0)
    positions = [i for i, ch in enumerate(text) if ch != " "]
    compact = "".join(text[i] for i in positions)
    for length in range(len(compact), 14, -1):
        if _iban_valid(compact[:length]) or (length == 26 and compact.startswith("TR") and compact[2:26].isdigit()):
            end = positions[length - 1] + 1
            return MASK + text[end:]
    return text


def _tc(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return MASK if is_valid_tc_kimlik(digits) else match.group(0)


def _phones(text: str, region: str) -> str:
    import phonenumbers

    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)]
    for start, end in reversed(spans):
        text = text[:start] + MASK + text[end:]
    return text


def _names(text: str, names: Iterable[str]) -> str:
    parts = sorted({p for n in names if n for p in re.split(r"[\s,.;]+", n) if len(p) >= 2}, key=len,
                   reverse=True)
    for part in parts:
        folded = lower(part)
        pattern = re.compile(r"(?<![\w])" + re.escape(folded) + r"(?![\w])")
        # match on a case-folded copy (Turkish I/ı, İ/i), cut the same span out of the original
        out, last = [], 0
        for m in pattern.finditer(lower(text)):
            out.append(text[last:m.start()] + MASK)
            last = m.end()
        text = "".join(out) + text[last:]
    return text


def scrub(text: str | None, *, names: Iterable[str] = (), region: str = "TR") -> str | None:
    """The text with personal data replaced by MASK (idempotent)."""
    if not text:
        return text
    out = EMAIL.sub(MASK, text)
    out = IBAN.sub(_iban, out)
    out = ELEVEN.sub(_tc, out)
    out = SPACED_ELEVEN.sub(_tc, out)
    out = _phones(out, region)
    out = LONG_DIGITS.sub(MASK, out)
    out = PLATE.sub(MASK, out)
    out = HOUSE.sub(MASK, out)
    out = _names(out, names)
    return out


def round_coordinate(value: float | None, places: int = 3) -> float | None:
    """3 decimals ≈ 100 m: enough to find the pothole on a map, not the citizen's door."""
    return None if value is None else round(float(value), places)
