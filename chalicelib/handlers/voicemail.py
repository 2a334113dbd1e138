"""Turkish voicemail (issue 22): the SQS consumer that fetches a recording and starts Amazon Transcribe, and the
EventBridge rule ("Transcribe Job State Change", our stage's job names only) that takes the transcript in.

Thin: parse, one use-case call. Recording URLs and transcripts never reach a log line.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from chalice import Blueprint, Response

from .. import config, container
from ..observability import count, logger
from .http import endpoint
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)

_STAGE = config.declared_stage()  # the rule matches this stage's job names only (fixed at declaration)
TRANSCRIBE_EVENTS = {
    "source": ["aws.transcribe"],
    "detail-type": ["Transcribe Job State Change"],
    "detail": {"TranscriptionJobStatus": ["COMPLETED", "FAILED"],
               "TranscriptionJobName": [{"prefix": f"ulakbel-{_STAGE}-vm-"}]},
}


def _twilio_credentials(url: str) -> tuple[str | None, str | None]:
    from ..channels.twilio import recording

    s = container.settings()
    account = s.secret("TWILIO_ACCOUNT_SID")
    token = s.twilio_auth_token
    if s.outbox and not account:  # local (outbox): the fixture stand-in answers for the account the URL names
        from urllib.parse import urlsplit

        match = recording.RECORDING_PATH.match(urlsplit(url).path)
        account = match.group(1) if match else None
        token = token or "local-twilio-token"
    return account, token


def _twilio_fetch(url: str):
    from ..channels.twilio import recording

    account, token = _twilio_credentials(url)
    return recording.fetch(url, account_sid=account, auth_token=token, transport=container.recording_transport())


def _twilio_delete(url: str) -> str:
    """DELETE the recording at Twilio (through the same injectable transport); counted either way."""
    from ..channels.twilio import recording
    from ..domain.outbound import PermanentSendError

    account, token = _twilio_credentials(url)
    try:
        outcome = recording.delete(url, account_sid=account, auth_token=token,
                                   transport=container.recording_transport())
    except PermanentSendError:
        count("VoicemailRecordingNotDeleted", channel="phone")
        raise
    count("VoicemailRecordingDeleted", channel="phone", outcome=outcome)
    return outcome


def _job_record(record) -> None:
    from pydantic import ValidationError

    from ..domain.errors import InvalidInput
    from ..domain.models import TimelineEvent, utcnow
    from ..domain.outbound import PermanentSendError
    from ..usecases import voicemail

    try:
        job = voicemail.VoicemailJob.model_validate_json(record.body)
    except ValidationError:
        count("VoicemailRejected", channel="phone")
        logger().warning("voicemail job not understood")
        return
    repo = container.repository()
    try:
        outcome = voicemail.start_transcription(job, repo, container.transcriber(), _twilio_fetch,
                                                stage=container.settings().stage, delete=_twilio_delete)
    except (PermanentSendError, InvalidInput) as exc:
        count("VoicemailNotTranscribed", channel="phone")
        reason = getattr(exc, "reason", None) or getattr(exc, "message", None) or type(exc).__name__
        now = utcnow()
        repo.append_events(job.request_id, [TimelineEvent(
            id=voicemail.stable_id(now, job.recording_id, "transcription_failed"), at=now,
            type="transcription_failed", actor=voicemail.ACTOR, data={"reason": str(reason)[:300]})])
        logger().warning("voicemail not transcribed", extra={"request_id": job.request_id})
        return
    logger().info("voicemail transcription", extra={"request_id": job.request_id, "outcome": outcome})


@bp.lambda_function(name="transcribe_voicemail")
def transcribe_voicemail(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=_job_record, processor=processor, context=context)


def take_in_transcript(detail: dict[str, Any], time: str | None) -> dict[str, Any]:
    """One "Transcribe Job State Change" detail → the request's timeline (and, once, its routing)."""
    from ..domain.models import TimelineEvent, utcnow
    from ..usecases import voicemail

    s = container.settings()
    name = str(detail.get("TranscriptionJobName") or "")
    request_id = voicemail.request_of_job(s.stage, name)
    if request_id is None:
        return {"status": "ignored"}
    try:
        at = datetime.fromisoformat(str(time).replace("Z", "+00:00")) if time else utcnow()
    except ValueError:
        at = utcnow()
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    repo = container.repository()
    if detail.get("TranscriptionJobStatus") == "FAILED":
        reason = container.transcriber().failure_reason(name) or detail.get("FailureReason") or "FAILED"
        repo.append_events(request_id, [TimelineEvent(
            id=voicemail.stable_id(at, name, "transcription_failed"), at=at, type="transcription_failed",
            actor=voicemail.ACTOR, data={"job": name, "reason": str(reason)[:300]})])
        count("VoicemailTranscriptionFailed", channel="phone")
        return {"status": "failed", "request_id": request_id}
    text = voicemail.transcript_text(container.transcript_reader()(name))
    outcome = voicemail.apply_transcript(repo, container.task_queue(), container.classifier(), job=name,
                                         request_id=request_id, text=text, at=at,
                                         transcript_uri=f"s3://{container.transcriber().bucket}/{container.transcript_key(name)}")
    count("VoicemailTranscribed", channel="phone", outcome=outcome)
    logger().info("voicemail transcript", extra={"request_id": request_id, "outcome": outcome})
    return {"status": outcome, "request_id": request_id}


@bp.on_cw_event(TRANSCRIBE_EVENTS, name="voicemail_transcribed")
def voicemail_transcribed(event) -> dict[str, Any]:
    return take_in_transcript(event.detail or {}, event.to_dict().get("time"))


def _listen(principal, request_id: str) -> Response:
    from ..domain.errors import NotFound
    from ..usecases.privacy import record_access
    from ..usecases.requests import visible_request

    principal.require("admin", "agent", "department")  # a voice is personal data: viewers see masked contacts
    found = visible_request(container.repository(), principal, request_id)
    uris = [e.data["media_url"] for e in found.timeline
            if e.type == "transcription_started" and (e.data or {}).get("media_url")]
    url = container.transcriber().listen_url(uris[-1]) if uris else None
    if not url:
        raise NotFound(both("api.no_recording"))
    record_access(principal, [found.id])
    return Response(body="", status_code=302, headers={"Location": url, "Cache-Control": "no-store",
                                                       "Referrer-Policy": "no-referrer"})


@endpoint(bp, "/requests/{request_id}/voicemail", ["GET"])
def voicemail_recording(principal, request, request_id):
    """Staff listen to the stored recording: a 5-minute signed S3 link (never Twilio's URL, never public).
    Same visibility as the request itself (404 outside the caller's department); the access is logged (KVKK)."""
    return _listen(principal, request_id)


def _console_error(status: int, code: str, message: str) -> Response:
    from .console.page import page_error  # the console's error page (sign-in redirect for 401)

    return page_error(status, code, message)


@endpoint(bp, "/console/requests/{request_id}/voicemail", ["GET"], cookie_auth=True, on_error=_console_error)
def console_voicemail(principal, request, request_id):
    """The console's "listen" link: the same signed, short-lived S3 link, for the signed-in staff member who
    may see the request (the session cookie; 404 for another department, sign-in for nobody)."""
    return _listen(principal, request_id)
