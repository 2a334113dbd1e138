"""Our richer model ↔ Open311 GeoReport v2 documents. Pure functions (no AWS, no HTTP)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from ..domain.models import Request, Status, TimelineEvent

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
JSON_TYPE = "application/json"
XML_TYPE = "text/xml"

CLOSED_STATUSES = frozenset({Status.resolved, Status.closed, Status.rejected, Status.duplicate})

# Why a request is open/closed, in words a citizen understands (Turkish first, English second).
STATUS_NOTES: dict[Status, str] = {
    Status.new: "Başvurunuz alındı / received",
    Status.routed: "İlgili müdürlüğe iletildi / sent to the responsible department",
    Status.in_progress: "Üzerinde çalışılıyor / in progress",
    Status.waiting_citizen: "Sizden bilgi bekleniyor / waiting for information from you",
    Status.forwarded: "Yetkili kuruma iletildi / forwarded to the responsible institution",
    Status.resolved: "Çözüldü / resolved",
    Status.closed: "Kapatıldı / closed",
    Status.rejected: "Belediyenin yetkisinde değil veya işlem yapılamadı / not actionable by the municipality",
    Status.duplicate: "Aynı konudaki başka bir başvuruyla birleştirildi / merged with an earlier report",
}

# mySociety extended statuses for servicerequestupdates.
EXTENDED_STATUS: dict[Status, str] = {
    Status.new: "OPEN",
    Status.routed: "OPEN",
    Status.in_progress: "IN_PROGRESS",
    Status.waiting_citizen: "INVESTIGATING",
    Status.forwarded: "INTERNAL_REFERRAL",
    Status.resolved: "FIXED",
    Status.closed: "CLOSED",
    Status.rejected: "NOT_COUNCILS_RESPONSIBILITY",
    Status.duplicate: "DUPLICATE",
}


# Event types that move the status without a status_changed event.
EVENT_STATUS = {"routed": Status.routed, "duplicate_of": Status.duplicate}


def iso(dt: datetime | None) -> str | None:
    """W3C date-time with an explicit zone, whole seconds."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_closed(status: Status) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def _note_of(event: TimelineEvent) -> str | None:
    note = (event.data or {}).get("note") or (event.data or {}).get("text")
    return str(note) if note else None


def public_events(request: Request) -> list[TimelineEvent]:
    return [e for e in request.timeline if e.visibility == "public"]


def status_notes(request: Request) -> str:
    """The status in words, plus the last public note a person wrote (the municipality's reply)."""
    base = STATUS_NOTES.get(request.status, request.status.value)
    notes = [n for n in (_note_of(e) for e in public_events(request)) if n]
    return f"{base} — {notes[-1]}" if notes else base


def service(category: Any, group: str | None) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name_tr,
        "description": category.description_tr or category.name_en,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ", ".join(category.keywords[:12]) or None,
        "group": group,
    }


def service_definition(category: Any) -> dict[str, Any]:
    attributes = []
    for order, a in enumerate(category.attributes, start=1):
        attr: dict[str, Any] = {
            "variable": True,
            "code": a["code"],
            "datatype": a["datatype"],
            "required": bool(a.get("required", False)),
            "datatype_description": a.get("datatype_description"),
            "order": order,
            "description": a.get("description") or a["code"],
        }
        if a.get("values"):
            attr["values"] = [{"key": str(v["key"]), "name": str(v["name"])} for v in a["values"]]
        attributes.append(attr)
    return {"service_code": category.code, "attributes": attributes}


def updated_at(request: Request) -> datetime | None:
    times = [e.at for e in request.timeline]
    if request.updated_at:
        times.append(request.updated_at)
    return max(times) if times else request.received_at


def service_request(request: Request, *, service_name: str | None, agency: str | None,
                    district: str) -> dict[str, Any]:
    """`district`: the municipality's ilçe, for an address made of the mahalle alone."""
    loc = request.location
    address = None
    if loc:
        address = loc.address or (f"{loc.neighbourhood} Mahallesi, {district}" if loc.neighbourhood else None)
    media = next((a.url for a in request.attachments if a.url and a.kind in ("image", "video", "file")), None)
    category = request.category or (request.classification.category if request.classification else None)
    return {
        "service_request_id": request.tracking_code,
        "status": open_closed(request.status),
        "status_notes": status_notes(request),
        "service_name": service_name,
        "service_code": category or "genel_basvuru",
        "description": request.text[:4000],
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": iso(request.received_at),
        "updated_datetime": iso(updated_at(request)),
        "expected_datetime": iso(request.due_at),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": loc.lat if loc and loc.lat is not None else None,
        "long": loc.long if loc and loc.long is not None else None,
        "media_url": media,
    }


def updates(request: Request, since: datetime | None = None, until: datetime | None = None) -> list[dict[str, Any]]:
    """mySociety servicerequestupdates: one item per public status change or reply."""
    out = []
    status = Status.new
    for e in sorted(request.timeline, key=lambda ev: ev.id):
        data = e.data or {}
        if e.type == "status_changed" and data.get("after"):
            try:
                status = Status(data["after"])
            except ValueError:
                pass
        elif e.type in EVENT_STATUS:
            status = EVENT_STATUS[e.type]
        if e.visibility != "public" or e.type == "received":
            continue
        if (since and e.at < since) or (until and e.at > until):
            continue
        out.append({
            "update_id": e.id,
            "service_request_id": request.tracking_code,
            "status": EXTENDED_STATUS.get(status, "OPEN"),
            "updated_datetime": iso(e.at),
            "description": _note_of(e) or STATUS_NOTES.get(status, status.value),
            "media_url": (data.get("media_url") or None),
        })
    return out


def discovery(base_url: str, *, contact: str, key_service: str, changeset: datetime, test: bool) -> dict[str, Any]:
    """`contact`: the citizens' desk; `key_service`: who issues api_keys (municipality.yaml contact)."""
    return {
        "changeset": iso(changeset),
        "contact": contact,
        "key_service": f"API anahtarı için {key_service} / ask the municipality for an api_key",
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": f"{base_url}/open311/v2",
                "changeset": iso(changeset),
                "type": "test" if test else "production",
                "formats": [XML_TYPE, JSON_TYPE],
            }
        ],
    }


def errors(code: int, description: str) -> list[dict[str, Any]]:
    return [{"code": code, "description": description}]


def unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return seen
