"""What the use cases need from the outside world. Adapters (boto3) implement these; tests may fake them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from .models import Request, Task, TimelineEvent


@dataclass
class RequestQuery:
    channel: str | None = None
    department: str | None = None
    status: str | None = None
    neighbourhood: str | None = None
    category: str | None = None
    kind: str | None = None
    assignee: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    next: str | None = None


@dataclass
class Page:
    items: list[Request]
    next: str | None = None


@dataclass
class LeasedTask:
    task: Task
    lease: str
    message_id: str
    receive_count: int = 1


@dataclass
class Update:
    """A change to a request header guarded by its version, plus the events that explain it."""

    request_id: str
    expected_version: int
    set_fields: dict[str, Any] = field(default_factory=dict)
    remove_fields: list[str] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    expected_status_in: list[str] | None = None
    extra_items: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Precondition:
    """A marker that must be absent — or present but harmless — for a write to go ahead.

    Checked inside the write's own transaction: a question whose answer is almost always "nothing there"
    (has this citizen a recently resolved request? did this number say STOP?) costs no extra round trip.
    When it does not hold, the write is refused with `PreconditionFailed` and the caller takes the slow path.
    """

    name: str
    pk: str
    sk: str
    # (attribute, "<" or "=", value): the marker may exist when this comparison holds
    passes_if: tuple[str, str, Any] | None = None


@dataclass(frozen=True)
class RecentOpenChange:
    """Edit of the bounded "recent open requests" item of one neighbourhood × category (duplicate look-up).

    `add` is (request id, received at); `drop` lists request ids to forget (resolved, linked, aged, over the cap).
    Written inside the same transaction as the request header, so the item never disagrees with a decision."""

    neighbourhood: str
    category: str
    add: tuple[str, datetime] | None = None
    drop: tuple[str, ...] = ()


class RequestRepository(Protocol):
    def create(self, request: Request, *, dedupe_key: str | None,
               preconditions: tuple[Precondition, ...] = ()) -> Request:
        """Write request + first events + dedupe marker atomically; on a repeat, return the existing one.
        Raises PreconditionFailed (with the names that did not hold) and writes nothing otherwise."""

    def get(self, request_id: str, *, with_timeline: bool = True) -> Request | None: ...

    def get_by_tracking_code(self, code: str) -> Request | None: ...

    def get_by_dedupe_key(self, dedupe_key: str) -> Request | None: ...

    def recent_open(self, neighbourhood: str, category: str) -> dict[str, datetime]:
        """Request id -> received time of the recent open requests of one neighbourhood × category: one GetItem."""

    def get_many(self, request_ids: list[str]) -> list[Request]:
        """Headers (no timeline) of several requests in one BatchGetItem; missing ones are absent."""

    def update(self, update: Update) -> Request:
        """Apply atomically; raise Conflict (with the current request) when the version moved on."""

    def query(self, q: RequestQuery) -> Page: ...

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None: ...


class TaskQueue(Protocol):
    def send(self, task: Task) -> None:
        """Send once per task_id; a re-send of the same task_id must not create a second task."""

    def lease(self, department: str, max_tasks: int, wait_seconds: int, lease_seconds: int) -> list[LeasedTask]: ...

    def ack(self, department: str, lease: str) -> None: ...

    def release(self, department: str, lease: str) -> None: ...
