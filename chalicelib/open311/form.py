"""Parse and validate an Open311 POST (application/x-www-form-urlencoded). Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..domain.errors import InvalidInput

_ATTR = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
MAX_DESCRIPTION = 4000
KNOWN = {
    "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "description",
    "media_url", "first_name", "last_name", "email", "phone", "device_id", "account_id",
}


@dataclass
class ServiceRequestForm:
    api_key: str | None = None
    jurisdiction_id: str | None = None
    service_code: str | None = None
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    description: str | None = None
    media_url: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    attributes: dict[str, str | list[str]] = field(default_factory=dict)


def _float(name: str, raw: str, lo: float, hi: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"'{name}' bir sayı olmalı / '{name}' must be a number") from None
    if not lo <= value <= hi or value != value:
        raise InvalidInput(f"'{name}' {lo}..{hi} aralığında olmalı / '{name}' must be within {lo}..{hi}")
    return value


def parse_form(body: bytes | str | None) -> ServiceRequestForm:
    try:
        text = body.decode("utf-8", errors="strict") if isinstance(body, bytes) else (body or "")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("Form verisi okunamadı / malformed form body") from None
    form = ServiceRequestForm()
    for key, value in pairs:
        value = value.strip()
        if value == "":  # the spec: an empty parameter is the same as an absent one
            continue
        m = _ATTR.match(key)
        if m:
            code, multi = m.group(1), bool(m.group(2))
            if multi:
                existing = form.attributes.setdefault(code, [])
                if isinstance(existing, list):
                    existing.append(value)
            else:
                form.attributes[code] = value
            continue
        if key not in KNOWN:
            continue  # foreign parameters are ignored, as clients add their own
        if key == "lat":
            form.lat = _float("lat", value, -90, 90)
        elif key == "long":
            form.long = _float("long", value, -180, 180)
        else:
            setattr(form, key, value)
    return form


def require_valid(form: ServiceRequestForm) -> None:
    """Everything the spec requires, checked before any write."""
    if not form.service_code:
        raise InvalidInput("service_code zorunlu / service_code is required")
    if (form.lat is None) != (form.long is None):
        raise InvalidInput("lat ve long birlikte verilmeli / lat and long must be given together")
    if form.lat is None and not form.address_string and not form.address_id:
        raise InvalidInput(
            "Konum zorunlu: lat ve long, address_string veya address_id / "
            "a location is required: lat and long, address_string or address_id"
        )
    if form.description and len(form.description) > MAX_DESCRIPTION:
        raise InvalidInput(f"description en fazla {MAX_DESCRIPTION} karakter / description exceeds "
                           f"{MAX_DESCRIPTION} characters")
    if form.media_url and not re.match(r"^https?://", form.media_url):
        raise InvalidInput("media_url http(s) adresi olmalı / media_url must be an http(s) URL")
    if form.media_url and len(form.media_url) > 2048:
        raise InvalidInput("media_url çok uzun / media_url is too long")


def check_attributes(form: ServiceRequestForm, definition: list[dict]) -> dict[str, str | list[str]]:
    """Only declared attributes; required ones present; list values among the declared keys."""
    known = {a["code"]: a for a in definition}
    for code, attr in known.items():
        if attr.get("required") and code not in form.attributes:
            raise InvalidInput(f"attribute[{code}] zorunlu ({attr.get('description') or code}) / "
                               f"attribute[{code}] is required")
    out: dict[str, str | list[str]] = {}
    for code, value in form.attributes.items():
        attr = known.get(code)
        if attr is None:
            raise InvalidInput(f"Bilinmeyen attribute[{code}] / unknown attribute[{code}] for this service")
        allowed = {str(v["key"]) for v in attr.get("values") or []}
        values = value if isinstance(value, list) else [value]
        if allowed and any(v not in allowed for v in values):
            raise InvalidInput(f"attribute[{code}] değeri geçersiz; olası değerler: {', '.join(sorted(allowed))} / "
                               f"invalid value for attribute[{code}]")
        out[code] = value
    return out
