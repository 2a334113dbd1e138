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
from ..domain.identity import identity
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.models import Attachment, Channel, Citizen, IntakeCommand, Location, Request, utcnow
from ..domain.identifiers import is_tracking_code
from ..domain.ports import Repository
from ..open311 import mapping
from ..open311.form import ServiceRequestForm, check_attributes, require_valid
from .intake import intake
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

# Public reads are unauthenticated: every call has a fixed worst-case DynamoDB cost.
MAX_REQUESTS = 200  # items in one list answer (the spec lets a server cap it; clients narrow the dates)
LIST_READS = 2  # Queries of the sparse OPEN311 index per list call (LIST_READS × MAX_REQUESTS items at most)
MAX_WINDOW = timedelta(days=90)
MAX_IDS = 20  # service_request_id values per call: one BatchGetItem for the codes, one for the headers
MAX_UPDATE_REQUESTS = 10  # requests whose timelines one servicerequestupdates call reads


def jurisdictions() -> tuple[str, ...]:
    """The one jurisdiction this server answers for (municipality.yaml open311.jurisdiction_id); single-
    jurisdiction servers may treat the argument as optional."""
    return (identity().open311.jurisdiction_id,)


class InvalidApiKey(DomainError):
    code = "invalid_api_key"
    http_status = 403


# -- API keys --------------------------------------------------------------------------------------
def hash_key(key: str, pepper: str) -> str:
    """HMAC-SHA-256 of the key under OPEN311_KEY_PEPPER: a leaked table does not let anyone test guesses."""
    if not pepper:
        raise ValueError("OPEN311_KEY_PEPPER is required")
    return hmac.new(pepper.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()


def issue_api_key(repo: Repository, name: str, pepper: str) -> str:
    """A new key for one app; only its peppered HMAC is stored, the key itself is shown once."""
    if not name or len(name) > 100:
        raise InvalidInput(both("api.o311_app_name"))
    key = "o311_" + secrets.token_urlsafe(32)
    digest = hash_key(key, pepper)
    repo.store_api_key(digest, {"name": name, "digest": digest, "created_at": utcnow().isoformat()})
    return key


def verify_api_key(repo: Repository, key: str | None, pepper: Callable[[], str], trusted: dict[str,
                   str | None] | None = None
                   ) -> str:
    """The app's name for a valid key, else 403 as the spec says.

    `trusted`: keys held as secrets rather than issued ({"app": the citizens' app key, "dev": `ulakbel dev`'s}),
    compared in constant time. `pepper` is called only when an issued key has to be looked up."""
    if key:
        for name, value in (trusted or {}).items():
            if value and hmac.compare_digest(key.encode(), value.encode()):
                return name
        digest = hash_key(key, pepper())
        marker = repo.api_key(digest)
        if (marker and not marker.get("revoked")
                and hmac.compare_digest(str(marker.get("digest") or ""), digest)):
            return str(marker.get("name") or "app")
    raise InvalidApiKey(both("api.o311_api_key"))


# -- services --------------------------------------------------------------------------------------
def _group(department: str) -> str | None:
    dept = municipality().department(department)
    return dept.name_tr if dept else None


def services() -> list[dict[str, Any]]:
    from ..understanding import taxonomy

    return [mapping.service(c, _group(c.department)) for c in taxonomy()]


def _category(code: str):
    from ..understanding import category

    try:
        return category(code)
    except KeyError:
        raise NotFound(both("api.o311_service_code", code=code)) from None


def service_definition(code: str) -> dict[str, Any]:
    return mapping.service_definition(_category(code))


def service_name(code: str | None) -> str | None:
    if not code:
        return None
    from ..understanding import category

    try:
        return category(code).name_tr
    except KeyError:
        return None


# -- filing ----------------------------------------------------------------------------------------
def resolve_location(form: ServiceRequestForm) -> Location:
    """Coordinates outside the district outline (the shipped boundaries) are refused; inside, the mahalle
    polygon holding the point names the neighbourhood."""
    from ..understanding import find_neighbourhood, inside_district

    neighbourhood = None
    if form.lat is not None and form.long is not None:
        if not inside_district(form.lat, form.long):
            raise InvalidInput(both("api.o311_outside"))
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


def file_request(repo: Repository, form: ServiceRequestForm, *, app: str,
                 idempotency_key: str | None = None) -> Filed:
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
        public=True,  # the app's privacy notice says the report is listed (scrubbed, rounded) on Open311
    )
    stored, created = intake(cmd, repo)
    return Filed(stored, created)


def filed_response(filed: Filed, form: ServiceRequestForm, base_url: str = "") -> list[dict[str, Any]]:
    code = filed.request.tracking_code
    item: dict[str, Any] = {
        "service_request_id": code,
        "service_notice": both("api.o311_notice", code=code, base_url=base_url),
    }
    if form.account_id:
        item["account_id"] = form.account_id
    return [item]


# -- reading ---------------------------------------------------------------------------------------
def is_public(request: Request | None) -> bool:
    """Only requests filed through Open311/the citizens' app and marked public are readable there; a
    tracking code from any other channel (SMS, e-mail, social, Beyaz Masa) is 404 like an unknown one."""
    return (request is not None and request.channel == Channel.mobile_app and request.public
            and request.anonymised_at is None)


def _names(request: Request) -> list[str]:
    c = request.citizen
    return [n for n in ((c.name, c.handle) if c else ()) if n]


def present(request: Request) -> dict[str, Any]:
    """The public Open311 view: personal data scrubbed from every text, coordinates rounded (~100 m),
    the address only to the neighbourhood (a house number would undo the rounding)."""
    from ..domain.redaction import round_coordinate, scrub

    code = request.category or (request.classification.category if request.classification else None)
    dept = municipality().department(request.department) if request.department else None
    agency = dept.name_tr if dept else (request.institution or None)
    item = mapping.service_request(request, service_name=service_name(code), agency=agency,
                                   district=identity().district)
    names = _names(request)
    loc = request.location
    item["description"] = scrub(item["description"], names=names)
    item["status_notes"] = scrub(item["status_notes"], names=names)
    item["address"] = identity().address(loc.neighbourhood if loc else None)
    item["lat"], item["long"] = round_coordinate(item["lat"]), round_coordinate(item["long"])
    if item["media_url"] and scrub(item["media_url"], names=names) != item["media_url"]:
        item["media_url"] = None
    return item


def get_request(repo: Repository, service_request_id: str) -> dict[str, Any]:
    code = service_request_id.strip().upper()
    found = repo.get_by_tracking_code(code) if is_tracking_code(code) else None
    if not is_public(found):
        raise NotFound(both("api.o311_not_found", code=service_request_id))
    return present(found)


def _public_by_codes(repo: Repository, ids: list[str]) -> list[Request]:
    if len(ids) > MAX_IDS:
        raise InvalidInput(both("api.o311_max_ids", n=MAX_IDS))
    codes = [c for c in (i.upper() for i in ids) if is_tracking_code(c)]
    return [r for r in repo.get_headers(repo.request_ids_by_tracking_codes(codes)) if is_public(r)]


def parse_date(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidInput(both("api.o311_date", name=name)) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def window(start: datetime | None, end: datetime | None, now: datetime | None = None) -> tuple[datetime,
           datetime]:
    now = now or utcnow()
    if start is None and end is None:
        end, start = now, now - MAX_WINDOW
    elif start is None:
        start = end - MAX_WINDOW  # type: ignore[operator]
    elif end is None:
        end = min(start + MAX_WINDOW, max(now, start))
    if end < start:  # type: ignore[operator]
        raise InvalidInput(both("api.o311_dates_order"))
    if end - start > MAX_WINDOW:  # type: ignore[operator]
        raise InvalidInput(both("api.o311_window", days=MAX_WINDOW.days))
    return start, end  # type: ignore[return-value]


def _list_param(value: str | None) -> list[str]:
    return mapping.unique(v.strip() for v in (value or "").split(","))


def list_requests(repo: Repository, params: dict[str, str]) -> list[dict[str, Any]]:
    ids = _list_param(params.get("service_request_id"))
    if ids:  # overrides every other argument (spec); unknown (and non-public) ids are left out
        return [present(r) for r in _public_by_codes(repo, ids)]
    statuses = _list_param(params.get("status"))
    bad = [s for s in statuses if s not in ("open", "closed")]
    if bad:
        raise InvalidInput(both("api.o311_status"))
    codes = _list_param(params.get("service_code"))
    for code in codes:
        _category(code)
    start, end = window(parse_date("start_date", params.get("start_date")),
                        parse_date("end_date", params.get("end_date")))
    out = []
    for r in repo.query_public(start, end, page_size=MAX_REQUESTS, max_reads=LIST_READS):
        if not is_public(r):
            continue
        item = present(r)
        if codes and item["service_code"] not in codes:
            continue
        if statuses and item["status"] not in statuses:
            continue
        out.append(item)
    return out[:MAX_REQUESTS]


def token(repo: Repository, token_value: str) -> list[dict[str, Any]]:
    """A token is the request's internal id; it resolves to the citizen-facing service_request_id."""
    found = repo.get(token_value.strip(), with_timeline=False) if token_value.strip().isalnum() else None
    if not is_public(found):
        raise NotFound(both("api.o311_token"))
    return [{"service_request_id": found.tracking_code, "token": found.id}]


def service_request_updates(repo: Repository, params: dict[str, str]) -> list[dict[str, Any]]:
    """mySociety extension: public status changes and replies, oldest first, within the window."""
    start, end = window(parse_date("start_date", params.get("start_date")),
                        parse_date("end_date", params.get("end_date")))
    ids = _list_param(params.get("service_request_id"))
    if ids:
        headers = _public_by_codes(repo, ids)
    else:
        # Requests filed up to 90 days before the window may get updates in it; only touched ones are read.
        headers = repo.query_public(start - MAX_WINDOW, end, page_size=MAX_REQUESTS, max_reads=1)
    touched = [r for r in headers if is_public(r) and (r.updated_at or r.received_at) >= start]
    requests = [full for full in (repo.get(r.id) for r in touched[:MAX_UPDATE_REQUESTS]) if is_public(full)]
    from ..domain.redaction import scrub

    out = [{**u, "description": scrub(u["description"], names=_names(r))}
           for r in requests for u in mapping.updates(r, start, end)]
    return sorted(out, key=lambda u: (u["updated_datetime"], u["update_id"]))[:MAX_REQUESTS]
