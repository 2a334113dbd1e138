"""Turkish voicemail: recording → private S3 → Amazon Transcribe (tr-TR) → the transcript on the same request.

Two steps, each idempotent:
- `start_transcription` (SQS consumer): fetch the recording (Twilio) or take the S3 object (Amazon Connect), store
  it privately, start the job named after the request and the recording: a redelivery finds the job exists.
  Then a Twilio recording is deleted at Twilio (`recording_deleted`); a transient failure raises so the message
  is redelivered (the stored copy and the job are kept, only the delete is retried), a permanent one is left
  on the timeline (`recording_delete_failed`) and in a metric; the request and its transcript go on either way.
- `apply_transcript` (EventBridge "Transcribe Job State Change"): the transcript becomes a `transcription`
  event; if no staff member has touched the request yet, the request takes the transcript as its text and is
  re-classified, and if that changes its queue it is re-routed, visibly (`rerouted`, public). The header write
  is conditional on the version read and the event ids are derived from the job, so a redelivered event
  finds its own `transcription` event and does nothing: one re-route per recording, ever.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any, Callable, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ..auth import ROLES
from ..domain import identifiers
from ..domain.errors import Conflict, InvalidInput, TemporarilyUnavailable
from ..domain.models import Classification, Location, Request, Status, Task, TimelineEvent, utcnow
from ..routing.decision import DEFAULT_SLA_HOURS, decide, due_for, queue_for
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

LANGUAGE = "tr-TR"
JOB_PREFIX = "vm"
ACTOR = "system:transcribe"
MAX_TEXT = 20000
# Amazon Connect stores call recordings as connect/<instance alias>/CallRecordings/...; nothing else is taken.
CONNECT_RECORDING = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(connect/[^/]+/CallRecordings/[^?#]+"
                               r"\.(wav|mp3|flac|ogg))$")


class VoicemailJob(BaseModel):
    """The SQS message: which recording of which request to transcribe. Never logged (it holds the URL)."""

    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Z]+$")
    source: Literal["twilio", "connect"]
    recording_id: str = Field(min_length=1, max_length=80, pattern=r"^[0-9A-Za-z_-]+$")
    recording_url: str | None = Field(default=None, max_length=2048)  # twilio: RecordingUrl
    media_uri: str | None = Field(default=None, max_length=2048)  # connect: s3://bucket/connect/.../CallRecordings/...


class Transcriber(Protocol):
    def store_recording(self, request_id: str, recording_id: str, body: bytes, content_type: str,
                        media_format: str) -> str: ...

    def start(self, job_name: str, media_uri: str, media_format: str) -> bool: ...


def job_name(stage: str, request_id: str, recording_id: str) -> str:
    """Transcribe job names are unique per account and region: the stage keeps dev and prod apart."""
    return f"ulakbel-{stage}-{JOB_PREFIX}-{request_id}-{recording_id}"[:200]


def request_of_job(stage: str, name: str) -> str | None:
    prefix = f"ulakbel-{stage}-{JOB_PREFIX}-"
    if not name.startswith(prefix):
        return None
    request_id = name[len(prefix):].split("-", 1)[0]
    return request_id if re.fullmatch(r"[0-9A-Z]{26}", request_id) else None


def stable_id(at: datetime, *parts: str) -> str:
    """A ULID whose time part is `at` and whose random part comes from `parts`: the same fact delivered twice
    gets the same timeline event id (the event put is conditional on the id being new)."""
    from ulid import ULID

    millis = int(at.timestamp() * 1000).to_bytes(6, "big")
    return str(ULID(millis + hashlib.sha256("\x00".join(parts).encode()).digest()[:10]))


def _event(type_: str, at: datetime, job: str, data: dict[str, Any], *, public: bool = False) -> TimelineEvent:
    return TimelineEvent(id=stable_id(at, job, type_), at=at, type=type_, actor=ACTOR,
                         visibility="public" if public else "internal", data=data)


# -- step 1: recording → S3 → Transcribe ------------------------------------------------------------------

def _done_before(repo, job: VoicemailJob, name: str) -> tuple[bool, bool]:
    """(transcription started, recording deleted at Twilio) by an earlier delivery of this job."""
    request = repo.get(job.request_id)
    timeline = request.timeline if request is not None else []
    started = any(e.type == "transcription_started" and e.data.get("job") == name for e in timeline)
    deleted = any(e.type == "recording_deleted" and e.data.get("recording_id") == job.recording_id
                  for e in timeline)
    return started, deleted


def start_transcription(job: VoicemailJob, repo, transcriber: Transcriber, fetch: Callable[[str], Any], *,
                        stage: str, clock: Callable[[], datetime] = utcnow,
                        delete: Callable[[str], str] | None = None) -> str:
    """Returns "started" or "already started". Transient errors (recording not ready, S3, Transcribe, the
    delete at Twilio) raise. With `delete`, a Twilio recording is deleted at Twilio once it is ours in S3."""
    name = job_name(stage, job.request_id, job.recording_id)
    if job.source == "twilio":
        if not job.recording_url:
            raise InvalidInput(both("api.recording_url"))
        started_before, deleted_before = _done_before(repo, job, name) if delete else (False, False)
        if deleted_before:
            return "already started"  # only our copy is left: nothing to fetch, nothing to delete
        if started_before:  # an earlier delivery stored and started it; only the delete at Twilio is left
            _delete_at_twilio(job, repo, delete, clock)
            return "already started"
        recording = fetch(job.recording_url)
        fmt = recording.media_format
        uri = transcriber.store_recording(job.request_id, job.recording_id, recording.body, recording.content_type,
                                          fmt)
    else:
        match = CONNECT_RECORDING.match(job.media_uri or "")
        if not match:
            raise InvalidInput(both("api.connect_recording"))
        uri, fmt = job.media_uri, match.group(3)
    started = transcriber.start(name, uri, fmt)
    now = None
    if started:
        now = clock()
        stored = {"media_url": uri} if job.source == "twilio" else {}  # ours to erase with the request (KVKK)
        repo.append_events(job.request_id, [_event("transcription_started", now, name, {
            "job": name, "language": LANGUAGE, "source": job.source, **stored})])
    if job.source == "twilio" and delete is not None:
        _delete_at_twilio(job, repo, delete, clock, after=now)
    return "started" if started else "already started"


def _delete_at_twilio(job: VoicemailJob, repo, delete: Callable[[str], str], clock: Callable[[], datetime], *,
                      after: datetime | None = None) -> None:
    """Delete the recording at Twilio (our S3 copy exists). Transient errors raise (the job is redelivered);
    a permanent refusal is recorded once per delivery as `recording_delete_failed` and the job goes on.
    The event is dated after `after` (transcription_started): events of one millisecond order by id."""
    from datetime import timedelta

    from ..domain.outbound import PermanentSendError

    outcome_at = clock()
    now = max(outcome_at, after + timedelta(milliseconds=1)) if after else outcome_at
    try:
        outcome = delete(job.recording_url or "")
    except PermanentSendError as exc:
        repo.append_events(job.request_id, [TimelineEvent(
            id=stable_id(now, job.recording_id, "recording_delete_failed"), at=now, type="recording_delete_failed",
            actor=ACTOR, data={"recording_id": job.recording_id, "source": "twilio",
                               "reason": str(getattr(exc, "reason", None) or exc)[:300]})])
        return
    repo.append_events(job.request_id, [TimelineEvent(
        id=stable_id(now, job.recording_id, "recording_deleted"), at=now, type="recording_deleted", actor=ACTOR,
        data={"recording_id": job.recording_id, "source": "twilio", "outcome": outcome})])


# -- step 2: the transcript ------------------------------------------------------------------------------

def transcript_text(document: dict[str, Any]) -> str:
    """Amazon Transcribe output: results.transcripts[0].transcript (one channel, no speaker split)."""
    results = document.get("results") if isinstance(document, dict) else None
    transcripts = results.get("transcripts") if isinstance(results, dict) else None
    if not isinstance(transcripts, list):
        raise ValueError("not an Amazon Transcribe transcript")
    text = " ".join(t.get("transcript", "") for t in transcripts if isinstance(t, dict)).strip()
    return re.sub(r"\s+", " ", text)[:MAX_TEXT]


def touched_by_staff(request: Request) -> bool:
    """A person has acted on it: an assignee, a status beyond `routed`, or any event by a staff role."""
    if request.assignee or request.status not in (Status.new, Status.routed):
        return True
    return any(e.actor.split(":", 1)[0] in ROLES for e in request.timeline)


def _current_queue(request: Request) -> str | None:
    for event in reversed(request.timeline):
        if event.type in ("routed", "rerouted", "forwarded") and event.data.get("queue", event.data.get("department")):
            return event.data.get("queue") or event.data.get("department")
    return request.department


def _last_task_id(request: Request) -> str | None:
    for event in reversed(request.timeline):
        if event.type in ("routed", "rerouted", "forwarded") and event.data.get("task_id"):
            return event.data["task_id"]
    return None


class NotRoutedYet(TemporarilyUnavailable):
    """The transcript arrived before the first routing: retry (the event is redelivered)."""


def apply_transcript(repo, queue, classify: Callable[..., Classification], *, job: str, request_id: str,
                     text: str, at: datetime, clock: Callable[[], datetime] = utcnow, attempts: int = 3,
                     transcript_uri: str | None = None) -> str:
    """Returns "rerouted", "reclassified" (same queue), "recorded" (staff had touched it: event only),
    "empty", "duplicate" (this job's transcript is already on the request) or "missing"."""
    for _ in range(attempts):
        request = repo.get(request_id)
        if request is None:
            return "missing"
        if any(e.type == "transcription" and e.data.get("job") == job for e in request.timeline):
            return "duplicate"
        if request.status is Status.new and not touched_by_staff(request):
            raise NotRoutedYet(both("api.not_routed_yet"))
        base = {"job": job, "language": LANGUAGE, "text": text, "chars": len(text),
                **({"media_url": transcript_uri} if transcript_uri else {})}  # the output JSON: erased with it
        if not text:
            repo.append_events(request_id, [_event("transcription", at, job, {**base, "empty": True})])
            return "empty"
        if touched_by_staff(request):
            repo.append_events(request_id, [_event("transcription", at, job, {**base, "rerouted": False,
                                                                               "reason": "staff"})])
            return "recorded"
        outcome = _reclassify(repo, queue, classify, request, job=job, text=text, at=at, now=clock(), base=base)
        if outcome is not None:
            return outcome
    raise TemporarilyUnavailable(both("api.keeps_changing"))


def _reclassify(repo, queue, classify, request: Request, *, job: str, text: str, at: datetime, now: datetime,
                base: dict[str, Any]) -> str | None:
    # The first routing set category and department from the placeholder text: they are no preset to keep.
    routed = request.classification
    candidate = request.model_copy(update={
        "text": text,
        "category": None if routed and request.category == routed.category else request.category,
        "department": None if routed and request.department in (routed.department, None) else request.department})
    decision = decide(candidate, classify)
    queue_key = queue_for(decision)
    before_queue = _current_queue(request)
    moved = queue_key != before_queue
    due = due_for(request, decision.sla_hours or DEFAULT_SLA_HOURS)
    location = request.location or Location()
    if decision.neighbourhood and not location.neighbourhood:
        location = location.model_copy(update={"neighbourhood": decision.neighbourhood})
    department = None if decision.needs_triage else decision.department
    task = Task(task_id=f"{request.id}-{request.version + 1}", request_id=request.id,
                tracking_code=request.tracking_code, department=queue_key, category=decision.category,
                neighbourhood=location.neighbourhood, kind=decision.kind.value if decision.kind else None,
                due_at=due, summary=text[:280], routed_at=now)
    updated = request.model_copy(update={
        "text": text, "department": department, "category": decision.category, "kind": decision.kind,
        "classification": decision, "due_at": due, "version": request.version + 1, "updated_at": now,
        "location": location if (location.address or location.lat is not None or location.neighbourhood)
        else request.location, "timeline": []})
    events = [_event("transcription", at, job, {**base, "rerouted": moved, "previous_text": request.text[:300]})]
    if moved:
        events.append(_event("rerouted", at, job, {
            "reason": both("api.reason_transcribed"),
            "before": {"department": request.department, "queue": before_queue, "category": request.category},
            "after": {"department": department, "queue": queue_key, "category": decision.category},
            "queue": queue_key, "department": department, "category": decision.category,
            "neighbourhood": location.neighbourhood, "confidence": round(decision.confidence, 3),
            "explanation": decision.explanation, "task_id": task.task_id, "due_at": due.isoformat(),
            "superseded_task_id": _last_task_id(request)}, public=True))
        queue.send(task)  # first (FIFO dedupe on the task id), as routing does: a crash before the save loses nothing
    try:
        repo.save(updated, expected_version=request.version, events=events)
    except Conflict:
        current = repo.get(request.id)
        if current is not None and any(e.type == "transcription" and e.data.get("job") == job
                                       for e in current.timeline):
            return "duplicate"  # a redelivery won: its task has this very id (dropped by FIFO dedupe)
        if moved and hasattr(repo, "claim_task"):
            repo.claim_task(task.task_id, f"superseded:{current.version if current else 0}")  # lease drops it
        return None  # read again: a staff change makes it "recorded"
    if moved and (old := _last_task_id(request)) and hasattr(repo, "claim_task"):
        repo.claim_task(old, f"rerouted:{task.task_id}")  # the old queue's task, if not leased yet, is dropped
    return "rerouted" if moved else "reclassified"
