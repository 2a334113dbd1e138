"""The public-text scrubber (chalicelib/domain/redaction.py) and the SMS destination rule (domain/contact.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.contact import sms_refusal
from chalicelib.domain.redaction import MASK, round_coordinate, scrub

TC = "10000000146"


@pytest.mark.parametrize("text, gone", [
    (f"TC kimlik no {TC}", TC),
    ("TC 100 000 001 46", "100 000 001 46"),
    ("beni 0532 765 43 21'den arayın", "765 43 21"),
    ("tel: +90 (532) 765-4321", "765-4321"),
    ("+49 1512 3456789 Almanya'dan", "3456789"),
    ("yazın: Kisi.Adi+not@posta.com.tr", "posta.com.tr"),
    ("IBAN TR33 0006 1005 1978 6457 8413 26", "8413"),
    ("hesap TR330006100519786457841326", "TR33"),
    ("DE89 3704 0044 0532 0130 00 numaralı hesaba", "DE89"),
    ("38 ABC 123 plakalı araç", "ABC"),
    ("06AB1234 kapıyı kapattı", "06AB1234"),
    ("34 A 1234 yine burada", "A 1234"),
    ("Lale Sokak No: 12/3 Daire 9", "12/3"),
])
def test_personal_data_is_masked(text, gone):
    out = scrub(text)
    assert gone not in out and MASK in out, out


@pytest.mark.parametrize("text", [
    "Yenidoğan mahallesinde çöpler 3 gündür toplanmadı",
    "Cumhuriyet Mahallesi 5. sokakta 2 çukur var, 1200 metre boyunca asfalt bozuk",
    "Saat 08:30'da 38 tane öğrenci servisi bekliyordu",
    "2026 yılında yapılan kaldırım",
])
def test_ordinary_text_is_left_alone(text):
    assert scrub(text) == text


def test_names_of_the_request_are_masked_with_turkish_casing():
    out = scrub("ŞÜKRİYE KÜÇÜKKAYA ve şükriye hanım; Küçükkaya ailesi", names=["Şükriye Küçükkaya"])
    assert "ükriye" not in out.lower() and "küçükkaya" not in out.lower() and "ailesi" in out


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_scrub_never_crashes_and_is_idempotent(text):
    once = scrub(text, names=["Ali Veli"])
    assert scrub(once, names=["Ali Veli"]) == once


def test_coordinates_are_rounded_to_about_100_m():
    assert round_coordinate(38.692345) == 38.692 and round_coordinate(None) is None


@pytest.mark.parametrize("phone, allowed", [
    ("+905321234567", True), ("905321234567", True),
    ("+908502221234", False), ("+909001234567", False), ("+904441234", False), ("+903122223344", False),
    ("+881612345678", False), ("+870772123456", False), ("+12025550123", False), ("+447400123456", False),
    ("+905", False), (None, False),
])
def test_sms_only_to_mobile_numbers_of_allowed_countries(phone, allowed):
    assert (sms_refusal(phone, ("TR",)) is None) is allowed


def test_allow_list_is_configurable_but_satellite_never():
    assert sms_refusal("+447400123456", ("TR", "GB")) is None
    assert sms_refusal("+881612345678", ("TR", "001")) is not None
