"""The staff console's inbox: one list over every channel, filtered within what the caller may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..auth import Principal
from ..domain.models import OPEN_STATUSES, TRANSITIONS, Request, Status
from ..domain.ports import RequestQuery
from . import requests as requests_usecase

PAGE_SIZE = 25
SEARCH_WINDOW = 200  # text search looks at the newest requests matching the other filters


@dataclass
class InboxFilters:
    channel: str | None = None
    department: str | None = None
    status: str | None = None
    kind: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    q: str | None = None
    sort: str = "new"
    overdue: bool = False
    mine: bool = False
    next: str | None = None


@dataclass
class InboxPage:
    items: list[dict[str, Any]]
    next: str | None
    newest: str | None


def fold(text: str) -> str:
    """Case-insensitive Turkish matching: İ→i, I→ı before lower-casing, then drop dots/cedillas."""
    text = text.replace("İ", "i").replace("I", "ı").lower()
    return text.translate(str.maketrans("çğıöşüâîû", "cgiosuaiu"))


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


def _matches(r: Request, f: InboxFilters, principal: Principal, now: datetime) -> bool:
    if not principal.can_see_department(r.department):
        return False
    checks = (
        (f.channel, r.channel.value), (f.department, r.department), (f.status, r.status.value),
        (f.kind, r.kind.value if r.kind else None), (f.category, r.category),
        (f.neighbourhood, r.location.neighbourhood if r.location else None),
    )
    if any(want and want != have for want, have in checks):
        return False
    if f.mine and r.assignee not in (principal.sub, principal.actor):
        return False
    if f.overdue and not is_overdue(r, now):
        return False
    if f.q:
        needle = fold(f.q)
        if needle not in fold(r.text) and needle not in fold(r.tracking_code):
            return False
    return True


def inbox(repo, principal: Principal, f: InboxFilters, now: datetime | None = None) -> InboxPage:
    principal.require("admin", "agent", "viewer", "department")
    now = now or datetime.now(timezone.utc)
    if principal.role == "department":
        f.department = principal.department
    if f.overdue:  # the sparse deadline index holds open requests only, ordered by due date
        return overdue_inbox(repo, principal, f, now)
    query = RequestQuery(channel=f.channel, department=f.department, status=f.status, kind=f.kind,
                         neighbourhood=f.neighbourhood, category=f.category,
                         limit=SEARCH_WINDOW if (f.q or f.mine) else PAGE_SIZE, next=f.next)
    page = requests_usecase.list_requests(repo, principal, query)
    items = [r for r in page.items if _matches(r, f, principal, now)]
    return _finish(items[:PAGE_SIZE], f, now, page.next)


def _finish(items: list[Request], f: InboxFilters, now: datetime, next_cursor: str | None) -> InboxPage:
    far = datetime.max.replace(tzinfo=timezone.utc)
    if f.sort == "old":
        items.sort(key=lambda r: (r.received_at, r.id))
    elif f.sort == "due":
        items.sort(key=lambda r: (r.due_at or far, r.id))
    newest = max((r.received_at for r in items), default=None)
    return InboxPage(items=[row(r, now) for r in items], next=next_cursor,
                     newest=newest.isoformat() if newest else None)


def overdue_inbox(repo, principal: Principal, f: InboxFilters, now: datetime | None = None) -> InboxPage:
    """Overdue filter: read the sparse due-date index (open requests with a due date) up to now."""
    principal.require("admin", "agent", "viewer", "department")
    now = now or datetime.now(timezone.utc)
    if principal.role == "department":
        f.department = principal.department
    found, _ = repo.query_index("GSI4", "DUE", sk_lte=now.astimezone(timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"), limit=SEARCH_WINDOW)
    items = [r for r in found if _matches(r, f, principal, now)]
    if f.sort == "new":
        items.sort(key=lambda r: (r.received_at, r.id), reverse=True)
    return _finish(items[:PAGE_SIZE] if f.sort != "due" else sorted(items, key=lambda r: r.due_at)[:PAGE_SIZE],
                   f, now, None)


def count_newer(repo, principal: Principal, after: datetime) -> int:
    """How many visible requests arrived after `after` (the inbox polls this)."""
    principal.require("admin", "agent", "viewer", "department")
    query = RequestQuery(since=after, limit=50,
                         department=principal.department if principal.role == "department" else None)
    page = requests_usecase.list_requests(repo, principal, query)
    return sum(1 for r in page.items if r.received_at > after and principal.can_see_department(r.department))


def next_statuses(request: Request) -> list[str]:
    return [s.value for s in Status if s in TRANSITIONS[request.status] and s != request.status]
