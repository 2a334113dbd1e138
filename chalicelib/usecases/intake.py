"""Intake: every channel ends here. One transaction; a redelivered provider message changes nothing."""
from __future__ import annotations

from typing import Sequence

from ..domain import identifiers
from ..domain.errors import PreconditionFailed, TrackingCodeTaken
from ..domain.identifiers import dedupe_key  # noqa: F401  (imports.py and tests use it from here)
from ..domain.models import IntakeCommand, Request, TimelineEvent, utcnow
from ..domain.ports import Precondition, Repository

MAX_TRACKING_ATTEMPTS = 5


def build_request(cmd: IntakeCommand) -> Request:
    received = cmd.received_at or utcnow()
    citizen = cmd.citizen if cmd.citizen and not cmd.citizen.is_empty() else None
    request = Request(
        id=identifiers.new_id(),
        tracking_code=identifiers.new_tracking_code(),
        channel=cmd.channel,
        channel_ref=cmd.channel_ref,
        received_at=received,
        text=cmd.text,
        citizen=citizen,
        location=cmd.location,
        attachments=cmd.attachments,
        meeting=cmd.meeting,
        due_at=cmd.due_at,
        department=cmd.department,
        category=cmd.category,
        updated_at=utcnow(),
        created_by=cmd.actor,
        public=cmd.public and cmd.channel.value == "mobile_app",
        suspect=cmd.suspect,
    )
    request.timeline = [
        TimelineEvent(
            id=identifiers.new_id(),
            at=request.updated_at,
            type="received",
            actor=cmd.actor,
            visibility="public",
            data={"channel": cmd.channel.value, "channel_ref": cmd.channel_ref,
                  **({"suspect": cmd.suspect} if cmd.suspect else {})},
        )
    ]
    return request


def intake(cmd: IntakeCommand, repo: Repository) -> tuple[Request, bool]:
    """Returns (request, created). created is False when this provider message was already taken in."""
    request, created, _ = intake_checked(cmd, repo)
    return request, created


def intake_checked(cmd: IntakeCommand, repo: Repository, checks: Sequence[Precondition] = ()
                   ) -> tuple[Request, bool, dict[str, bool]]:
    """intake, plus the caller's own marker checks answered by the same transaction (e.g. "this number has
    not opted out"): returns (request, created, {check name: held}) for the checks that were decided."""
    from .survey import try_answer_survey  # issue 8: "1".."5" to a pending survey is an answer, not a request
    from .reopen import REOPEN_GUARD, reopen_guard, try_reopen

    # A sender the channel could not verify (e-mail failing SPF/DKIM/DMARC) may claim anyone's address: its
    # message never answers a survey, threads onto or reopens the claimed citizen's requests.
    answered = None if cmd.suspect else try_answer_survey(cmd, repo)
    if answered is not None:
        return answered, False, {}
    guard = None if cmd.suspect else reopen_guard(cmd, repo)  # an answer to a resolved request reopens it (issue 7)
    if guard is None and not cmd.suspect:
        reopened = try_reopen(cmd, repo)  # threaded replies: look the quoted message up
        if reopened is not None:
            return reopened, False, {}
    pending = [*checks, *([guard] if guard else [])]
    failed: set[str] = set()
    key = dedupe_key(cmd.channel.value, cmd.channel_ref)
    for _ in range(MAX_TRACKING_ATTEMPTS + len(pending)):
        request = build_request(cmd)
        try:
            stored = repo.create(request, dedupe_key=key, preconditions=tuple(pending))
        except TrackingCodeTaken:
            continue
        except PreconditionFailed as exc:
            failed |= exc.names
            pending = [c for c in pending if c.name not in exc.names]
            if REOPEN_GUARD in exc.names:
                reopened = try_reopen(cmd, repo)
                if reopened is not None:
                    return reopened, False, {c.name: False for c in checks if c.name in failed}
            continue
        if stored.id != request.id:  # a redelivery: its transaction decided only the checks that failed
            return stored, False, {c.name: False for c in checks if c.name in failed}
        return stored, True, {c.name: c.name not in failed for c in checks}
    raise RuntimeError("could not draw a free tracking code")
