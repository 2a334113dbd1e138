"""Reopen: a citizen's reply to a resolved request (within the window) reopens it instead of filing a new one.

Its own use case because intake (which asks "does this message reopen something?"), the status change
(which records "this citizen's last resolved request") and the workflow stream consumer (a reopened request
goes back into its department's queue) all need it, and none of them may import the others in a circle.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.identifiers import dedupe_key
from ..domain.models import IntakeCommand, Request, Status, Task, new_event as _event, utcnow
from ..domain.ports import Clock, Repository, TaskQueue
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

UNTHREADED_CHANNELS = ("sms", "whatsapp")


def _citizen_key(channel: str, citizen) -> str | None:
    if citizen is None:
        return None
    return citizen.platform_id or citizen.phone if channel in UNTHREADED_CHANNELS else None


def record_outbound_message(repo: Repository, channel: str, message_id: str, request_id: str) -> None:
    """Outbound calls this after sending a reply so a citizen's answer to it finds the request."""
    repo.link_reply(channel, message_id, request_id)


def resolved_citizen(request: Request) -> tuple[str, str] | None:
    """On resolve, in the same transaction: the citizen's last resolved request on an unthreaded channel
    (SMS, WhatsApp) and when it was resolved — intake's `reopen_guard` reads it without a lookup."""
    key = _citizen_key(request.channel.value, request.citizen)
    if not key or request.resolved_at is None:
        return None
    return request.channel.value, key


def _is_bare_rating(cmd: IntakeCommand) -> bool:
    """A bare "1".."5" is a survey answer (or noise), never a reason to reopen a resolved request."""
    return cmd.text.strip() in {"1", "2", "3", "4", "5"}


def reopen_guard(cmd: IntakeCommand, repo: Repository, *, window_hours: float | None = None,
                 clock: Clock = utcnow):
    """For a message on an unthreaded channel: "this citizen has no request resolved within the reopen
    window", checked inside intake's own transaction. Nearly every message passes, so reopen matching
    costs no lookup; when it fails, intake asks `try_reopen`. None when the message needs the lookup path
    (it quotes a message: `in_reply_to`) or cannot reopen anything."""
    key = _citizen_key(cmd.channel.value, cmd.citizen)
    if key is None or cmd.in_reply_to or _is_bare_rating(cmd):
        return None
    if window_hours is None:
        from ..settings import get_settings

        window_hours = get_settings().reopen_window_hours
    cutoff = (cmd.received_at or clock()) - timedelta(hours=window_hours)
    return repo.no_resolution_since(REOPEN_GUARD, cmd.channel.value, key, cutoff)


REOPEN_GUARD = "no_recent_resolved_request"


def _reply_target(cmd: IntakeCommand, repo: Repository) -> Request | None:
    channel = cmd.channel.value
    if cmd.in_reply_to:
        found = repo.get_by_dedupe_key(f"{channel}#{cmd.in_reply_to}")
        if found is not None:
            return found
        replied = repo.request_replied_by(channel, cmd.in_reply_to)
        return repo.get(replied) if replied else None
    key = _citizen_key(channel, cmd.citizen)
    if key:
        resolved = repo.last_resolved(channel, key)
        if resolved:
            return repo.get(resolved)
    return None


def try_reopen(cmd: IntakeCommand, repo: Repository, *, window_hours: float | None = None,
               clock: Clock = utcnow, queue: TaskQueue | None = None) -> Request | None:
    """A citizen's reply to a resolved request (within the window) reopens it instead of making a new one."""
    if not cmd.in_reply_to and _citizen_key(cmd.channel.value, cmd.citizen) is None:
        return None
    if _is_bare_rating(cmd):
        return None
    # Cheapest question first: most messages answer nothing resolved, and cost one lookup here.
    target = _reply_target(cmd, repo)
    if target is None or target.status is not Status.resolved:
        return None
    if window_hours is None:
        from ..settings import get_settings

        window_hours = get_settings().reopen_window_hours
    now = clock()
    replied = cmd.received_at or now
    if target.resolved_at is None or replied - target.resolved_at > timedelta(hours=window_hours):
        return None
    key = dedupe_key(cmd.channel.value, cmd.channel_ref)
    if key and repo.get_by_dedupe_key(key) is not None:
        return None  # a redelivery: intake returns what this message already became
    updated = target.model_copy(update={"status": Status.in_progress, "version": target.version + 1,
                                        "updated_at": now, "resolved_at": None, "timeline": []})
    events = [
        _event("citizen_reply", cmd.actor, now, {"channel": cmd.channel.value, "channel_ref": cmd.channel_ref,
                                                 "text": cmd.text, "in_reply_to": cmd.in_reply_to},
               visibility="public"),
        _event("reopened", "system", now, {"before": {"status": target.status.value},
                                           "after": {"status": Status.in_progress.value},
                                           "department": target.department, "window_hours": window_hours},
               visibility="public"),
    ]
    try:
        repo.reopen(updated, expected_version=target.version, events=events, dedupe_key=key)
    except Exception:
        return None  # a concurrent change or a racing redelivery: fall back to ordinary intake / dedupe
    if queue is not None and target.department:
        _notify_department(queue, target, now, "reopen")
    return repo.get(target.id) or updated


def notify_reopened(repo: Repository, queue: TaskQueue, request_id: str, event_id: str, *,
                    clock: Clock = utcnow) -> Task | None:
    """Stream consumer step: a `reopened` event puts a task back in the department's queue (once per event)."""
    request = repo.get(request_id, with_timeline=False)
    if request is None or not request.department or not request.is_open:
        return None
    task = Task(task_id=f"{request.id}-reopen-{event_id}", request_id=request.id,
                tracking_code=request.tracking_code, department=request.department, category=request.category,
                neighbourhood=request.location.neighbourhood if request.location else None,
                kind=request.kind.value if request.kind else None, due_at=request.due_at,
                summary=f"[{both('api.task_reopened')}] {request.text[:250]}", routed_at=clock())
    queue.send(task)
    return task


def _notify_department(queue: TaskQueue, request: Request, now: datetime, why: str) -> None:
    try:
        queue.send(Task(task_id=f"{request.id}-{why}-{request.version + 1}", request_id=request.id,
                        tracking_code=request.tracking_code, department=request.department,
                        category=request.category, due_at=request.due_at,
                        summary=f"[{why}] {request.text[:260]}", routed_at=now))
    except Exception as exc:  # the timeline event already tells the department; a queue hiccup must not lose the reply
        from ..observability import logger

        logger().warning("department task not sent", extra={"request_id": request.id, "why": why,
                                                            "error": type(exc).__name__})
