"""Staff endpoints over requests: create (Beyaz Masa, phone, Şeffaf Oda), read, list, change status."""
from __future__ import annotations

from datetime import datetime

from chalice import Blueprint

from .. import container
from ..domain.errors import InvalidInput
from .http import endpoint, int_param, json_response, lazy, parse_json, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

# Cold start: models and use cases are imported on first use, never at module import (README "Performance").
usecase = lazy("chalicelib.usecases.requests")
MODELS = "chalicelib.domain.models"

bp = Blueprint(__name__)

@endpoint(bp, "/requests", ["POST"], body=f"{MODELS}:RequestCreate", response=f"{MODELS}:Request")
def create_request(principal, request):
    from ..domain.departments import municipality
    from ..domain.models import IntakeCommand, RequestCreate
    from ..usecases.intake import intake

    principal.require("agent", "admin")
    body = parse_json(request, RequestCreate)
    cmd = IntakeCommand(
        **body.model_dump(exclude_none=True),
        actor=principal.actor,
        department=municipality().channel_department(body.channel),  # Şeffaf Oda: its fixed owner
    )
    stored, created = intake(cmd, container.repository())
    return json_response(usecase.present(stored, principal), 201 if created else 200)


@endpoint(bp, "/requests/{request_id}", response=f"{MODELS}:Request")
def get_request(principal, request, request_id):
    found = usecase.visible_request(container.repository(), principal, request_id)
    return usecase.present(found, principal)


def _enum(params, name, enum):
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return enum(value).value
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(both("api.enum", name=name, allowed=allowed)) from None


def _when(params, name):
    value = params.get(name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(both("api.iso_date", name=name)) from None
    if parsed.tzinfo is None:
        from datetime import timezone

        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def request_query(params: dict[str, str]):
    from ..domain.models import Channel, Kind, Status
    from ..domain.ports import RequestQuery

    return RequestQuery(
        channel=_enum(params, "channel", Channel),
        status=_enum(params, "status", Status),
        kind=_enum(params, "kind", Kind),
        department=params.get("department") or None,
        neighbourhood=params.get("neighbourhood") or None,
        category=params.get("category") or None,
        since=_when(params, "since"),
        until=_when(params, "until"),
        limit=int_param(params, "limit", 50, 1, 200),
        next=params.get("next") or None,
    )


@endpoint(bp, "/requests", query=("channel", "status", "kind", "department", "neighbourhood", "category",
                                   "since", "until", "limit", "next"))
def list_requests(principal, request):
    principal.require("admin", "agent", "viewer", "department")
    page = usecase.list_requests(container.repository(), principal, request_query(query_params(request)))
    return {"items": [usecase.present(r, principal) for r in page.items], "next": page.next}


@endpoint(bp, "/requests/{request_id}/status", ["POST"], body=f"{MODELS}:StatusChange",
          response=f"{MODELS}:Request")
def change_status(principal, request, request_id):
    from ..domain.models import StatusChange

    change = parse_json(request, StatusChange)
    updated = usecase.change_status(container.repository(), principal, request_id, change)
    return usecase.present(updated, principal)
