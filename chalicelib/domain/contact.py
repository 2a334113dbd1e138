"""Citizen contact data: validation and normalisation (E.164 phones, TC kimlik checksum)."""
from __future__ import annotations

import phonenumbers


def normalise_phone(raw: str, default_region: str = "TR") -> str:
    """Return E.164 or raise ValueError with a message a person can act on."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"Telefon numarası anlaşılamadı / phone number not understood ({exc.error_type})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError("Telefon numarası geçerli değil / phone number is not valid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid_tc_kimlik(value: str) -> bool:
    """The official TC kimlik no checksum: 11 digits, first not 0, digits 10 and 11 are check digits."""
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    d = [int(c) for c in value]
    odd = d[0] + d[2] + d[4] + d[6] + d[8]
    even = d[1] + d[3] + d[5] + d[7]
    if (odd * 7 - even) % 10 != d[9]:
        return False
    return sum(d[:10]) % 10 == d[10]


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:]


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return email
    local, _, domain = email.partition("@")
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return " ".join(part[:1] + "***" for part in name.split())


def mask_tc(value: str | None) -> str | None:
    if not value:
        return value
    return "*******" + value[-4:]


# Ranges that cost the sender money or reach nobody by SMS: satellite/international networks and
# premium/shared-cost/UAN/VoIP numbers are never sent an SMS, whatever the allow-list says.
NON_GEOGRAPHIC_PREFIXES = ("+870", "+881", "+882", "+883", "+888", "+979", "+808", "+800")
SMS_NUMBER_TYPES = ("MOBILE", "FIXED_LINE_OR_MOBILE")


def sms_refusal(phone: str | None, countries: tuple[str, ...] = ("TR",)) -> str | None:
    """Why we must not text this number (SMS pumping: anyone can type any number into a public form),
    or None when it is a mobile number of an allowed country. Turkish first, English second."""
    if not phone:
        return "telefon numarası yok / no phone number"
    e164 = phone if phone.startswith("+") else "+" + phone.lstrip("0")
    if e164.startswith(NON_GEOGRAPHIC_PREFIXES):
        return "uydu/uluslararası ağ numarasına SMS gönderilmez / no SMS to satellite or international networks"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "telefon numarası anlaşılamadı / phone number not understood"
    region = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number(number):
        return "geçerli bir telefon numarası değil / not a valid phone number"
    if region not in {c.strip().upper() for c in countries}:
        return f"yurt dışı numaraya SMS gönderilmez ({region}) / no SMS to numbers outside the allowed countries"
    kind = phonenumbers.number_type(number)
    allowed = {getattr(phonenumbers.PhoneNumberType, name) for name in SMS_NUMBER_TYPES}
    if kind not in allowed:
        return "özel ücretli/paylaşımlı numaraya SMS gönderilmez / no SMS to premium, shared-cost or non-mobile numbers"
    return None
