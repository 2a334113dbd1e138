"""The staff console's inbox: one list over every channel, filtered within what the caller may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..auth import Principal
from ..domain.models import OPEN_STATUSES, TRANSITIONS, Request, Status
from ..domain.inbox import InboxFilter, InboxQuery, terms
from ..domain.ports import RequestQuery
from . import requests as requests_usecase
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

PAGE_SIZE = 25


@dataclass
class InboxFilters(InboxFilter):
    """The console's inbox form: the shared filters plus a search box, overdue-only and assigned-to-me."""

    q: str | None = None
    overdue: bool = False
    mine: bool = False


@dataclass
class InboxPage:
    items: list[dict[str, Any]]
    next: str | None
    newest: str | None


def is_overdue(request: Request, now: datetime) -> bool:
    return request.status in OPEN_STATUSES and request.due_at is not None and request.due_at < now


def row(request: Request, now: datetime) -> dict[str, Any]:
    return {
        "id": request.id, "tracking_code": request.tracking_code, "channel": request.channel.value,
        "text": request.text, "neighbourhood": request.location.neighbourhood if request.location else None,
        "category": request.category, "department": request.department, "status": request.status.value,
        "kind": request.kind.value if request.kind else None, "received_at": request.received_at,
        "due_at": request.due_at, "assignee": request.assignee, "overdue": is_overdue(request, now),
    }


def inbox(repo, principal: Principal, f: InboxFilters, now: datetime | None = None) -> InboxPage:
    """One page of the inbox over ALL requests matching the filters, in the chosen order (the repository
    sorts by an index and filters in DynamoDB; the cursor continues right after the last row shown)."""
    principal.require("admin", "agent", "viewer", "department")
    now = now or datetime.now(timezone.utc)
    if principal.role == "department":
        f.department = principal.department
    q = InboxQuery(**f.narrowing(), assignee=principal.sub if f.mine else None, terms=terms(f.q or ""),
                   overdue_at=now if f.overdue else None, limit=PAGE_SIZE)
    page = repo.inbox(q)
    items = [r for r in page.items if principal.can_see_department(r.department)]
    newest = max((r.received_at for r in items), default=None)
    return InboxPage(items=[row(r, now) for r in items], next=page.next,
                     newest=newest.isoformat() if newest else None)


def count_newer(repo, principal: Principal, after: datetime) -> int:
    """How many visible requests arrived after `after` (the inbox polls this)."""
    principal.require("admin", "agent", "viewer", "department")
    query = RequestQuery(since=after, limit=50,
                         department=principal.department if principal.role == "department" else None)
    page = requests_usecase.list_requests(repo, principal, query)
    return sum(1 for r in page.items if r.received_at > after and principal.can_see_department(r.department))


def next_statuses(request: Request) -> list[str]:
    return [s.value for s in Status if s in TRANSITIONS[request.status] and s != request.status]


def merge_suggestions(repo, principal: Principal, request: Request, *, limit: int = 5,
                      similarity=None) -> list[dict[str, Any]]:
    """Open requests of the same neighbourhood and category that read alike (duplicate candidates), most
    similar first, with the similarity (0..1). One bounded inbox page from the neighbourhood's index."""
    nbh = request.location.neighbourhood if request.location else None
    if not (nbh and request.category):
        return []
    if similarity is None:
        from ..understanding import text_similarity as similarity
    q = InboxQuery(sort="new", neighbourhood=nbh, category=request.category, limit=60)
    page = repo.inbox(q)
    out = []
    for other in page.items:
        if other.id == request.id or other.status not in OPEN_STATUSES or other.merged_into \
                or not principal.can_see_department(other.department):
            continue
        out.append({"id": other.id, "tracking_code": other.tracking_code, "text": other.text[:160],
                    "channel": other.channel.value, "received_at": other.received_at,
                    "similarity": round(float(similarity(request.text, other.text)), 2)})
    out.sort(key=lambda s: (-s["similarity"], s["tracking_code"]))
    return out[:limit]


MAX_BULK = 100


def bulk(repo, task_queue, principal: Principal, request_ids: list[str], action: str, value: str,
         note: str | None = None) -> dict[str, Any]:
    """The same change to several requests, each through its own use case (version read just before, so a
    request changed meanwhile is reported, not overwritten). Returns what was done and what was refused."""
    from ..domain.errors import DomainError, InvalidInput
    from ..domain.models import StatusChange
    from . import workflow

    principal.require("admin", "agent", "department")
    ids = list(dict.fromkeys(i for i in request_ids if i))
    if not ids:
        raise InvalidInput(both("api.bulk_none"))
    if len(ids) > MAX_BULK:
        raise InvalidInput(both("api.bulk_max", n=MAX_BULK))
    if action not in ("assign", "status", "forward") or not value:
        raise InvalidInput(both("api.bulk_action"))
    done: list[str] = []
    failed: list[dict[str, str]] = []
    for rid in ids:
        try:
            current = requests_usecase.visible_request(repo, principal, rid, with_timeline=False)
            if action == "assign":
                workflow.assign(repo, principal, rid, workflow.AssignBody(assignee=value, version=current.version))
            elif action == "status":
                requests_usecase.change_status(repo, principal, rid, StatusChange(
                    status=Status(value), note=note or None, version=current.version))
            else:
                workflow.forward(repo, task_queue, principal, rid, workflow.ForwardBody(
                    department=value, note=note or both("api.bulk_forward_note"), version=current.version))
            done.append(current.tracking_code)
        except (DomainError, ValueError) as exc:
            failed.append({"id": rid, "message": str(exc).split("\n")[0][:200]})
    return {"done": done, "failed": failed}
