"""What the use cases need from the outside world. Adapters (boto3) implement these; tests may fake them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .models import Request, Task, TimelineEvent
from .outbound import OutboundMessage, SendResult


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
    """Requests: header + timeline, written in transactions guarded by the header's version."""

    def create(self, request: Request, *, dedupe_key: str | None,
               preconditions: tuple[Precondition, ...] = ()) -> Request:
        """Write request + first events + dedupe marker atomically; on a repeat, return the existing one.
        Raises PreconditionFailed (with the names that did not hold) and writes nothing otherwise."""

    def get(self, request_id: str, *, with_timeline: bool = True) -> Request | None: ...

    def get_by_tracking_code(self, code: str) -> Request | None: ...

    def get_by_dedupe_key(self, dedupe_key: str) -> Request | None: ...

    def get_headers(self, request_ids: list[str]) -> list[Request]:
        """Headers (no timeline) in the order asked, missing ones left out: one batched read."""

    def get_many(self, request_ids: list[str]) -> list[Request]:
        """Headers (no timeline) of at most 100 requests in one batched read; missing ones are absent."""

    def request_ids_by_tracking_codes(self, codes: list[str]) -> list[str]: ...

    def recent_open(self, neighbourhood: str, category: str) -> dict[str, datetime]:
        """Request id -> received time of the recent open requests of one neighbourhood × category: one read."""

    def query(self, q: RequestQuery) -> Page: ...

    def inbox(self, q) -> Page:
        """The console inbox (domain.inbox.InboxQuery) over all matching requests, paged by a cursor."""

    def query_public(self, since: datetime, until: datetime, *, page_size: int, max_reads: int) -> list[Request]:
        """Newest first, public Open311 requests only, at most `max_reads` reads of `page_size`."""

    def query_due(self, before: datetime, *, department: str | None = None, limit: int = 100,
                  start: dict[str, Any] | None = None) -> tuple[list[Request], dict[str, Any] | None]:
        """Open requests due at or before `before`, earliest first, and where to continue."""

    def save(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
             linked_events: list[tuple[str, TimelineEvent]] | None = None,
             recent: RecentOpenChange | None = None) -> Request:
        """Replace the header if still at `expected_version` (else Conflict with the current request) and
        append the events (and events of linked requests) in the same transaction."""

    def mark_resolved(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                      citizen: tuple[str, str] | None) -> Request:
        """`save`, and remember the request as the (channel, citizen)'s last resolved one, atomically."""

    def reopen(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
               dedupe_key: str | None) -> Request:
        """`save`, and take the reopening message's dedupe key (once) in the same transaction."""

    def record_survey_answer(self, request: Request, *, expected_version: int, events: list[TimelineEvent],
                             score: int, at: datetime) -> Request:
        """`save`, and count the answer for the request's department, atomically."""

    def append_events(self, request_id: str, events: list[TimelineEvent]) -> None:
        """Each event once (a repeated event id is left alone); no version check."""

    def claim_task(self, task_id: str, message_id: str) -> bool:
        """The first message to carry a task id owns it (True again for that message); others get False."""

    def reassign_task(self, task_id: str, message_id: str) -> None:
        """A replayed task's new message owns its id."""


class CitizenMarkers(Protocol):
    """What we remember about a citizen's address (keyed by an HMAC of it): consent, the pending survey,
    which request a reply or a resolution belongs to."""

    def consent(self, channel: str, address: str) -> dict[str, Any] | None: ...

    def record_consent(self, channel: str, address: str, attrs: dict[str, Any]) -> None: ...

    def open_survey(self, phone: str, request_id: str, sent_at: datetime) -> None: ...

    def pending_survey(self, phone: str) -> dict[str, Any] | None: ...

    def close_survey(self, phone: str, pending: dict[str, Any], score: int) -> None: ...

    def survey_answers(self, department: str) -> list[dict[str, Any]]: ...

    def link_reply(self, channel: str, message_id: str, request_id: str) -> None: ...

    def request_replied_by(self, channel: str, message_id: str) -> str | None: ...

    def last_resolved(self, channel: str, citizen: str) -> str | None: ...

    def citizen_replies_since(self, department: str | None, after: datetime, limit: int = 50) -> list[dict[str, Any]]:
        """Citizens' replies (citizen_reply/citizen_message events) after `after` on requests of `department`
        (None: of every department), newest first: [{request_id, tracking_code, at, channel, department}]."""
        ...

    def no_resolution_since(self, name: str, channel: str, citizen: str, cutoff: datetime) -> Precondition:
        """A check for `create`: no request of this citizen on this channel was resolved after `cutoff`."""


class OutboundLedger(Protocol):
    """The state of every outbound message: once-only notification, send claim, platform ids, reports."""

    def take_notify_slot(self, address: str, day: str, slot: int, expires_at: int | None) -> bool: ...

    def mark_notification_queued(self, message_id: str, request_id: str) -> bool: ...

    def send_state(self, message_id: str, consents: list[tuple[str, str]]
                   ) -> tuple[dict[str, Any], list[dict[str, Any] | None]]: ...

    def set_send_state(self, message_id: str, attrs: dict[str, Any]) -> None: ...

    def swap_send_state(self, message_id: str, attrs: dict[str, Any], *, expected: dict[str, Any] | None) -> bool:
        """Compare-and-set: written only if absent (`expected` None) or still holding `expected`."""

    def record_sent(self, message_id: str, state: dict[str, Any], link: dict[str, Any] | None,
                    events: list[tuple[str, TimelineEvent]]) -> None: ...

    def platform_link(self, platform: str, platform_message_id: str) -> dict[str, Any] | None: ...

    def mark_delivery_status(self, platform: str, platform_message_id: str, status: str, request_id: str) -> bool: ...

    def record_outbox(self, platform_message_id: str, record: dict[str, Any]) -> None: ...

    def push_subscriptions(self, request_id: str) -> dict[str, Any] | None: ...

    def swap_push_subscriptions(self, request_id: str, attrs: dict[str, Any], *,
                                expected: dict[str, Any] | None) -> bool: ...


class ChannelState(Protocol):
    def netgsm_poll_state(self) -> dict[str, Any]: ...

    def save_netgsm_poll_state(self, last_stop: datetime) -> None: ...

    def store_api_key(self, digest: str, attrs: dict[str, Any]) -> None: ...

    def api_key(self, digest: str) -> dict[str, Any] | None: ...


class CorrectionStore(Protocol):
    """Staff corrections of the classifier (issue 18): labelled examples for `ulakbel train --from-corrections`."""

    def record_correction(self, correction: dict[str, Any]) -> bool:
        """Store one correction (keys: event_id, at (ISO), request_id, action, actor, text (scrubbed), old, new,
        changed, model_version, channel) once per event id; False when that event's correction is already there."""

    def corrections(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """The corrections made in [since, until], oldest first, as stored (without keys)."""


class Repository(RequestRepository, CitizenMarkers, OutboundLedger, ChannelState, CorrectionStore, Protocol):
    """Everything the use cases keep in the table (DynamoRequestRepository; InMemoryRepository in tests)."""


class PrivacyStore(Protocol):
    """KVKK storage: the citizen lookup, the retention index, anonymising and the erasure audit."""

    def requests_for_citizen(self, key: str) -> list[str]: ...

    def retention_due(self, cutoff: datetime, limit: int) -> list[str]: ...

    def anonymise(self, request: Request, anonymised: Request, *, reason: str, actor: str,
                  related: list[tuple[str, str]] = ()) -> bool: ...

    def audit(self, kind: str, actor: str, data: dict[str, Any]) -> None: ...

    def delete_items(self, item_keys: list[tuple[str, str]]) -> int: ...

    def outbound_records(self, message_ids: list[str], platform_message_ids: list[str],
                         push_request_id: str | None = None) -> list[tuple[str, str]]:
        """Item keys of these outbound messages' records (send state, notification marker, platform links,
        local outbox copies)."""

    def correction_records(self, staff_events: list[tuple[datetime, str]]) -> list[tuple[str, str]]:
        """Item keys of the classifier corrections (CorrectionStore) recorded for these staff events (the time and
        id of a forward or re-classification on the request's timeline)."""

    def identifier_markers(self, identifiers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Item keys of the markers keyed by these phones / e-mails (survey, consent, notification cap)."""


class MediaStore(Protocol):
    def erase(self, url: str) -> int:
        """Delete every stored version of the photo behind one of our media URLs; how many were deleted."""


class TaskQueue(Protocol):
    def send(self, task: Task) -> None:
        """Send once per task_id; a re-send of the same task_id must not create a second task."""

    def send_many(self, tasks: list[Task]) -> dict[str, Exception]:
        """`send` for many tasks in as few calls as the queue allows; returns the task ids that were not sent,
        each with why (the others were sent)."""

    def lease(self, key: str, max_tasks: int, wait_seconds: int, lease_seconds: int) -> list[LeasedTask]: ...

    def ack(self, key: str, lease: str) -> None: ...

    def release(self, key: str, lease: str) -> None: ...


class OutboundQueue(Protocol):
    def send(self, message: OutboundMessage) -> None: ...

    def delay(self, receipt_handle: str, seconds: int) -> None:
        """Keep a failed message invisible for `seconds` before it is delivered again (backoff)."""


class OutboundSender(Protocol):
    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver on one platform; PermanentSendError / TransientSendError when it did not."""


class SecretFetcher(Protocol):
    def __call__(self, secret_id: str, *, max_age: int) -> str | None:
        """The secret's value (cached up to max_age seconds); None when it cannot be read."""


class Clock(Protocol):
    def __call__(self) -> datetime:
        """Now, timezone-aware UTC (use cases take it as `clock`; tests freeze it)."""


class EpochClock(Protocol):
    def __call__(self) -> float:
        """Now in epoch seconds (token expiry, rate windows)."""
