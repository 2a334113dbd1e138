"""The citizens' mobile app API (Open311 GeoReport v2): services, filing, reading back, updates, API keys.

Everything an app sees is built here from our own model; the handler only chooses JSON or XML.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from ..domain.departments import municipality
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.models import Attachment, Channel, Citizen, IntakeCommand, Location, Request, utcnow
from ..domain.ports import RequestQuery
from ..open311 import mapping
from ..open311.form import ServiceRequestForm, check_attributes, require_valid
from .intake import intake

MAX_REQUESTS = 1000
MAX_WINDOW = timedelta(days=90)
MAX_IDS = 100
KEY_PREFIX = "OPEN311KEY#"
# The one jurisdiction this server answers for (single-jurisdiction servers may treat the argument as optional).
JURISDICTIONS = ("talas.bel.tr",)


class InvalidApiKey(DomainError):
    code = "invalid_api_key"
    http_status = 403


# -- API keys --------------------------------------------------------------------------------------
def hash_key(key: str, pepper: str) -> str:
    """HMAC-SHA-256 of the key under OPEN311_KEY_PEPPER: a leaked table does not let anyone test guesses."""
    if not pepper:
        raise ValueError("OPEN311_KEY_PEPPER is required")
    return hmac.new(pepper.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def issue_api_key(repo, name: str, pepper: str) -> str:
    """A new key for one app; only its peppered HMAC is stored, the key itself is shown once."""
    if not name or len(name) > 100:
        raise InvalidInput("Uygulama adı 1..100 karakter olmalı / app name must be 1..100 characters")
    key = "o311_" + secrets.token_urlsafe(32)
    digest = hash_key(key, pepper)
    repo.put_marker(KEY_PREFIX + digest, "KEY", {"name": name, "digest": digest,
                                                 "created_at": utcnow().isoformat()})
    return key


def verify_api_key(repo, key: str | None, pepper: Callable[[], str], trusted: dict[str, str | None] | None = None
                   ) -> str:
    """The app's name for a valid key, else 403 as the spec says.

    `trusted`: keys held as secrets rather than issued ({"app": the citizens' app key, "dev": `ulakbel dev`'s}),
    compared in constant time. `pepper` is called only when an issued key has to be looked up."""
    if key:
        for name, value in (trusted or {}).items():
            if value and hmac.compare_digest(key.encode(), value.encode()):
                return name
        digest = hash_key(key, pepper())
        marker = repo.get_marker(KEY_PREFIX + digest, "KEY")
        if (marker and not marker.get("revoked")
                and hmac.compare_digest(str(marker.get("digest") or ""), digest)):
            return str(marker.get("name") or "app")
    raise InvalidApiKey("Geçersiz api_key; istek oluşturulamadı / invalid api_key received -- can't create request")


# -- services --------------------------------------------------------------------------------------
def _group(department: str) -> str | None:
    dept = municipality().department(department)
    return dept.name_tr if dept else None


def services() -> list[dict[str, Any]]:
    from ..routing import taxonomy

    return [mapping.service(c, _group(c.department)) for c in taxonomy()]


def _category(code: str):
    from ..routing import category

    try:
        return category(code)
    except KeyError:
        raise NotFound(f"Bilinmeyen service_code '{code}' / unknown service_code") from None


def service_definition(code: str) -> dict[str, Any]:
    return mapping.service_definition(_category(code))


def service_name(code: str | None) -> str | None:
    if not code:
        return None
    from ..routing import category

    try:
        return category(code).name_tr
    except KeyError:
        return None


# -- filing ----------------------------------------------------------------------------------------
def resolve_location(form: ServiceRequestForm) -> Location:
    """Coordinates outside the district outline (the shipped boundaries) are refused; inside, the mahalle
    polygon holding the point names the neighbourhood."""
    from ..routing import find_neighbourhood, inside_district

    neighbourhood = None
    if form.lat is not None and form.long is not None:
        if not inside_district(form.lat, form.long):
            raise InvalidInput(
                "Konum Talas Belediyesi sınırları dışında; lütfen Talas içinde bir konum seçin / "
                "the location is outside the municipality of Talas"
            )
        neighbourhood = find_neighbourhood(lat=form.lat, long=form.long)
    address = form.address_string or (f"Adres no {form.address_id}" if form.address_id else None)
    if neighbourhood is None and address:
        neighbourhood = find_neighbourhood(address=address)
    return Location(address=address[:500] if address else None, lat=form.lat, long=form.long,
                    neighbourhood=neighbourhood)


def _text(form: ServiceRequestForm, category, attributes: dict[str, Any]) -> str:
    text = form.description or category.name_tr
    if attributes:
        names = {a["code"]: a for a in category.attributes}
        parts = []
        for code, value in attributes.items():
            labels = {str(v["key"]): v["name"] for v in names[code].get("values") or []}
            values = value if isinstance(value, list) else [value]
            parts.append(f"{names[code].get('description') or code}: " + ", ".join(labels.get(v, v) for v in values))
        text += "\n" + "; ".join(parts)
    return text


@dataclass
class Filed:
    request: Request
    created: bool


def file_request(repo, form: ServiceRequestForm, *, app: str, idempotency_key: str | None = None) -> Filed:
    """Validate everything first (no half-written request), then one intake transaction."""
    require_valid(form)
    category = _category(form.service_code or "")
    attributes = check_attributes(form, list(category.attributes))
    location = resolve_location(form)
    name = " ".join(p for p in (form.first_name, form.last_name) if p) or None
    try:
        citizen = Citizen(name=name, email=form.email, phone=form.phone,
                          platform_id=(form.account_id or form.device_id))
    except Exception as exc:  # pydantic ValidationError: a clear 400 without echoing the value
        msg = str(getattr(exc, "errors", lambda: [{}])()[0].get("msg", "invalid")).removeprefix("Value error, ")
        raise InvalidInput(msg) from None
    attachments = [Attachment(url=form.media_url, kind="image")] if form.media_url else []
    ref = f"{app}#{idempotency_key}" if idempotency_key else None
    cmd = IntakeCommand(
        channel=Channel.mobile_app,
        text=_text(form, category, attributes),
        channel_ref=ref[:512] if ref else None,
        citizen=citizen,
        location=location,
        attachments=attachments,
        category=category.code,
        due_at=utcnow() + timedelta(hours=category.sla_hours),
        actor=f"open311:{app}",
    )
    stored, created = intake(cmd, repo)
    return Filed(stored, created)


def filed_response(filed: Filed, form: ServiceRequestForm) -> list[dict[str, Any]]:
    item: dict[str, Any] = {
        "service_request_id": filed.request.tracking_code,
        "service_notice": "Başvurunuz alındı; takip kodunuz: " + filed.request.tracking_code
                          + " / received; your tracking code is " + filed.request.tracking_code,
    }
    if form.account_id:
        item["account_id"] = form.account_id
    return [item]


# -- reading ---------------------------------------------------------------------------------------
def present(request: Request) -> dict[str, Any]:
    code = request.category or (request.classification.category if request.classification else None)
    dept = municipality().department(request.department) if request.department else None
    agency = dept.name_tr if dept else (request.institution or None)
    return mapping.service_request(request, service_name=service_name(code), agency=agency)


def get_request(repo, service_request_id: str) -> dict[str, Any]:
    found = repo.get_by_tracking_code(service_request_id.strip().upper())
    if found is None:
        raise NotFound(f"Başvuru bulunamadı: {service_request_id} / service request not found")
    return present(found)


def parse_date(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidInput(f"'{name}' ISO 8601 tarih olmalı (ör. 2026-01-31T00:00:00Z) / "
                           f"'{name}' must be an ISO 8601 date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def window(start: datetime | None, end: datetime | None, now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or utcnow()
    if start is None and end is None:
        end, start = now, now - MAX_WINDOW
    elif start is None:
        start = end - MAX_WINDOW  # type: ignore[operator]
    elif end is None:
        end = min(start + MAX_WINDOW, max(now, start))
    if end < start:  # type: ignore[operator]
        raise InvalidInput("end_date, start_date'ten önce olamaz / end_date is before start_date")
    if end - start > MAX_WINDOW:  # type: ignore[operator]
        raise InvalidInput("Tarih aralığı en fazla 90 gün olabilir / the date range may span at most 90 days")
    return start, end  # type: ignore[return-value]


def _list_param(value: str | None) -> list[str]:
    return mapping.unique(v.strip() for v in (value or "").split(","))


def list_requests(repo, params: dict[str, str]) -> list[dict[str, Any]]:
    ids = _list_param(params.get("service_request_id"))
    if ids:  # overrides every other argument (spec); unknown ids are left out
        if len(ids) > MAX_IDS:
            raise InvalidInput(f"En fazla {MAX_IDS} service_request_id / at most {MAX_IDS} ids per call")
        found = [repo.get_by_tracking_code(i.upper()) for i in ids]
        return [present(r) for r in found if r is not None]
    statuses = _list_param(params.get("status"))
    bad = [s for s in statuses if s not in ("open", "closed")]
    if bad:
        raise InvalidInput("status 'open' veya 'closed' olmalı / status must be open or closed")
    codes = _list_param(params.get("service_code"))
    for code in codes:
        _category(code)
    start, end = window(parse_date("start_date", params.get("start_date")),
                        parse_date("end_date", params.get("end_date")))
    query = RequestQuery(channel=Channel.mobile_app.value, category=codes[0] if len(codes) == 1 else None,
                         since=start, until=end, limit=MAX_REQUESTS)
    out = []
    for r in repo.query(query).items:
        item = present(r)
        if codes and item["service_code"] not in codes:
            continue
        if statuses and item["status"] not in statuses:
            continue
        out.append(item)
    return out[:MAX_REQUESTS]


def token(repo, token_value: str) -> list[dict[str, Any]]:
    """A token is the request's internal id; it resolves to the citizen-facing service_request_id."""
    found = repo.get(token_value.strip(), with_timeline=False) if token_value.strip().isalnum() else None
    if found is None:
        raise NotFound("Token bulunamadı / token not found")
    return [{"service_request_id": found.tracking_code, "token": found.id}]


def service_request_updates(repo, params: dict[str, str]) -> list[dict[str, Any]]:
    """mySociety extension: public status changes and replies, oldest first, within the window."""
    start, end = window(parse_date("start_date", params.get("start_date")),
                        parse_date("end_date", params.get("end_date")))
    ids = _list_param(params.get("service_request_id"))
    if ids:
        if len(ids) > MAX_IDS:
            raise InvalidInput(f"En fazla {MAX_IDS} service_request_id / at most {MAX_IDS} ids per call")
        requests = [r for r in (repo.get_by_tracking_code(i.upper()) for i in ids) if r is not None]
    else:
        # Requests filed up to 90 days before the window may get updates in it; only touched ones are read.
        page = repo.query(RequestQuery(channel=Channel.mobile_app.value, since=start - MAX_WINDOW, until=end,
                                       limit=MAX_REQUESTS))
        touched = [r for r in page.items if (r.updated_at or r.received_at) >= start][:200]
        requests = [full for full in (repo.get(r.id) for r in touched) if full is not None]
    out = [u for r in requests for u in mapping.updates(r, start, end)]
    return sorted(out, key=lambda u: (u["updated_datetime"], u["update_id"]))[:MAX_REQUESTS]
