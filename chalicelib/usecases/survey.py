"""The one-question satisfaction survey: "1".."5" on SMS/WhatsApp (or a signed e-mail link) after resolution.

A pending survey is a marker keyed by the citizen's phone (an HMAC of it), so an answer is matched by a
single read, never a scan. An answer is stored on the request (`satisfaction`) and, in the same transaction,
as one item per request under its department (counted per department with one Query).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..domain import identifiers
from ..domain.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from ..domain.models import Channel, IntakeCommand, Request, TimelineEvent, utcnow
from ..domain.outbound import EMAIL, survey_phone
from ..domain.ports import Repository
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

ANSWER = re.compile(r"^\s*([1-5])\s*[.!)]?\s*$")
SURVEY_DAYS = 7


def open_survey(repo: Repository, request: Request, to: str, route: str, now: datetime) -> None:
    if route == EMAIL:
        return  # e-mail answers come through the signed link
    phone = to if to.startswith("+") else "+" + to
    repo.open_survey(phone, request.id, now)


def parse_score(text: str | None) -> int | None:
    m = ANSWER.match(text or "")
    return int(m.group(1)) if m else None


SURVEYED_STATUSES = ("resolved", "closed")


def parse_link_score(raw: str | None) -> int:
    """The score of a survey link: exactly one digit 1..5. Empty, 0, 9 or anything else is a 400."""
    score = parse_score(raw) if raw and raw.strip().isdigit() else None
    if score is None:
        raise InvalidInput(both("api.score"))
    return score


def answer_link(repo: Repository, tracking_code: str, score: int) -> Request:
    """An e-mail survey answer: only for a resolved (or closed) request, and only once (409 afterwards)."""
    found = repo.get_by_tracking_code(tracking_code)
    if found is None:
        raise NotFound(both("api.link_invalid"))
    if found.status.value not in SURVEYED_STATUSES:
        raise InvalidTransition(both("api.survey_not_resolved"))
    if found.satisfaction is not None:
        raise InvalidTransition(both("api.survey_answered"))
    stored = record_answer(repo, found.id, score, source="email")
    if stored is None or stored.satisfaction != score:
        raise InvalidTransition(both("api.survey_answered"))
    return stored


def try_answer_survey(cmd: IntakeCommand, repo: Repository) -> Request | None:
    """A citizen's "1".."5" on SMS/WhatsApp to a pending survey: stored as satisfaction, not a new request."""
    if cmd.channel not in (Channel.sms, Channel.whatsapp):
        return None
    score = parse_score(cmd.text)
    if score is None:
        return None
    c = cmd.citizen
    phone = survey_phone(cmd.channel, c.phone if c else None, c.platform_id if c else None)
    if not phone:
        return None
    marker = repo.pending_survey(phone)
    if not marker or marker.get("answered"):
        return None
    sent = datetime.fromisoformat(marker["sent_at"])
    if (cmd.received_at or utcnow()) - sent > timedelta(days=SURVEY_DAYS):
        return None
    request = record_answer(repo, marker["request_id"], score, source=cmd.channel.value)
    if request is not None and request.satisfaction is not None:
        repo.close_survey(phone, marker, score)
    return request


def record_answer(repo: Repository, request_id: str, score: int, *, source: str, now=None) -> Request | None:
    """Store the score once per request (a repeated answer keeps the first); only 1..5, only once resolved."""
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise InvalidInput(both("api.score"))
    for _ in range(3):
        request = repo.get(request_id, with_timeline=False)
        if request is None:
            return None
        if request.satisfaction is not None or request.status.value not in SURVEYED_STATUSES:
            return repo.get(request_id) or request
        now = now or utcnow()
        updated = request.model_copy(update={"satisfaction": score, "version": request.version + 1,
                                             "updated_at": now, "timeline": []})
        event = TimelineEvent(id=identifiers.new_id(), at=now, type="survey_answered", actor="citizen",
                              data={"score": score, "source": source})
        try:
            repo.record_survey_answer(updated, expected_version=request.version, events=[event], score=score, at=now)
        except Conflict:
            continue
        return repo.get(request_id) or updated
    return None


def department_summary(items: list[dict]) -> dict:
    """Counts per score and the mean from a department's survey answer items."""
    counts = {str(n): 0 for n in range(1, 6)}
    for item in items:
        counts[str(int(item["score"]))] += 1
    total = sum(counts.values())
    mean = round(sum(int(k) * v for k, v in counts.items()) / total, 2) if total else None
    return {"answers": total, "counts": counts, "mean": mean}
