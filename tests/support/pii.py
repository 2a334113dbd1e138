"""A detector for personal data in text (log lines, captured output): used on the whole suite's logs.

Finds e-mail addresses, phone numbers (Turkish formats and E.164), TC kimlik numbers that pass the
official checksum, and the citizen names used in the test fixtures (collected from the test sources,
so a name added in a new channel's fixture is covered automatically).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from chalicelib.domain.contact import is_valid_tc_kimlik

TESTS = Path(__file__).resolve().parents[1]

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_SEP = r"[\s.\-]?"
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)90" + _SEP + r"\(?5\d{2}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{2}" + _SEP + r"\d{2}"  # +90 5xx
    r"|0?" + r"\(?[2-5]\d{2}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{2}" + _SEP + r"\d{2}"            # 0 5xx / 0 312
    r"|\+(?!90)[1-9]\d{9,13}"                                                                      # other E.164
    r")(?![\w])"
)
DIGITS11 = re.compile(r"(?<![\w])[1-9]\d{10}(?![\w])")
NAME_IN_SOURCE = re.compile(r"[\"']name[\"']\s*:\s*[\"']([^\"']{3,80})[\"']")
PERSON_NAME = re.compile(r"^[A-ZÇĞİÖŞÜ][a-zçğıöşü]+(?:\s+[A-ZÇĞİÖŞÜ][a-zçğıöşü]+)+$")


@lru_cache(maxsize=1)
def fixture_names() -> tuple[str, ...]:
    """Person-like names ('Ayşe Yılmaz') that appear as "name": values in tests and fixtures."""
    names: set[str] = set()
    for path in list(TESTS.rglob("*.py")) + list(TESTS.rglob("*.json")) + list(TESTS.rglob("*.xml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        names |= {m for m in NAME_IN_SOURCE.findall(text) if PERSON_NAME.match(m)}
    return tuple(sorted(names))


def find_pii(text: str) -> list[str]:
    hits = [f"email:{m}" for m in EMAIL.findall(text)]
    hits += [f"phone:{m.group(0)}" for m in PHONE.finditer(text)
             if sum(c.isdigit() for c in m.group(0)) >= 10]
    hits += [f"tckn:{m}" for m in DIGITS11.findall(text) if is_valid_tc_kimlik(m)]
    hits += [f"name:{n}" for n in fixture_names() if n in text]
    return hits
