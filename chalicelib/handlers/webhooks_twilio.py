"""Twilio webhooks: inbound SMS (channel sms) and Voice with a recorded message (channel phone).

Thin: verify the signature over the URL rebuilt from PUBLIC_BASE_URL, parse, one use-case call, TwiML.
"""
from __future__ import annotations

from urllib.parse import urlencode

from chalice import Blueprint, Response

from .. import container
from ..domain import identifiers
from ..domain.errors import Forbidden, InvalidInput
from ..observability import count, logger
from .http import lazy, endpoint
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

twilio = lazy("chalicelib.channels.twilio.inbound")  # imported on first use (cold start)
models = lazy("chalicelib.domain.models")
consent = lazy("chalicelib.usecases.consent")
intake_uc = lazy("chalicelib.usecases.intake")

bp = Blueprint(__name__)

FORM = ["application/x-www-form-urlencoded", "multipart/form-data"]
SMS_PATH = "/webhooks/twilio/sms"
VOICE_PATH = "/webhooks/twilio/voice"
RECORDING_PATH = "/webhooks/twilio/voice/recording"


def _xml(body: str) -> Response:
    return Response(body=body, status_code=200, headers={"Content-Type": "text/xml; charset=utf-8"})


def _verified_params(request, path: str) -> dict[str, list[str]]:
    settings = container.settings()
    params = twilio.parse_form(request.raw_body or b"")
    query = urlencode(dict(request.query_params or {}))
    url = twilio.public_url(settings.public_base_url, path, query)
    try:
        twilio.verify_signature(url, params, request.headers.get("x-twilio-signature"), settings.twilio_auth_token)
    except twilio.SignatureError as exc:
        count("WebhookSignatureRejected", channel="twilio")
        raise Forbidden(both("api.twilio_rejected", reason=exc)) from None
    return params


@endpoint(bp, SMS_PATH, ["POST"], auth=False, content_types=FORM)
def twilio_sms(_principal, request):
    params = _verified_params(request, SMS_PATH)
    repo = container.repository()
    body = (params.get("Body") or [""])[0]
    if consent.is_opt_out_message(body) or consent.is_opt_in_message(body):
        try:
            cmd_citizen = twilio.sms_command(params).citizen
        except (twilio.PayloadError, ValueError) as exc:
            raise InvalidInput(str(exc)) from None
        phone = cmd_citizen.phone if cmd_citizen else None
        if not phone:
            raise InvalidInput(both("api.sender_number"))
        if consent.is_opt_out_message(body):
            consent.opt_out(repo, "sms", phone, source="twilio")
            count("SmsOptOut", channel="sms")
            return _xml(twilio.twiml_message(consent.opt_out_reply()))
        consent.opt_in(repo, "sms", phone)
        return _xml(twilio.twiml_message(consent.opt_in_reply()))
    try:
        cmd = twilio.sms_command(params)
    except twilio.PayloadError as exc:
        raise InvalidInput(str(exc)) from None
    stored, created = intake_uc.intake(cmd, repo)
    logger().info("sms received", extra={"request_id": stored.id, "new": created})
    # No <Message> here: the acknowledgement is the `received` notification (one per request whatever the
    # channel, with opt-out, daily cap and delivery tracking). Answering in TwiML as well sent it twice.
    return _xml(twilio.TWIML_EMPTY)


@endpoint(bp, VOICE_PATH, ["POST"], auth=False, content_types=FORM)
def twilio_voice(_principal, request):
    _verified_params(request, VOICE_PATH)
    return _xml(twilio.twiml_voice_greeting(twilio.public_url(container.settings().public_base_url,
                                                              RECORDING_PATH)))


@endpoint(bp, RECORDING_PATH, ["POST"], auth=False, content_types=FORM)
def twilio_voice_recording(_principal, request):
    params = _verified_params(request, RECORDING_PATH)
    if (params.get("RecordingStatus") or [""])[0] and not (params.get("From") or [""])[0]:
        return _recording_status(params)
    try:
        cmd = twilio.recording_command(params)
    except twilio.PayloadError as exc:
        raise InvalidInput(str(exc)) from None
    sid = (params.get("RecordingSid") or [""])[0]
    if sid and not sid.replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(both("api.recording_sid"))  # before anything is written
    repo = container.repository()
    stored, created = intake_uc.intake(cmd, repo)
    transcription = (params.get("TranscriptionText") or [""])[0].strip()
    if not created and transcription and transcription != stored.text:
        # The transcription callback arrives after the recording: keep it on the same request.
        repo.append_events(stored.id, [models.TimelineEvent(
            id=identifiers.new_id(), at=models.utcnow(), type="transcription", actor="twilio",
            data={"text": transcription, "recording_sid": (params.get("RecordingSid") or [None])[0]})])
    _queue_transcription(params, stored.id)
    logger().info("voicemail received", extra={"request_id": stored.id, "new": created})
    return _xml(twilio.twiml_voice_thanks(stored.tracking_code))


def _recording_status(params: dict[str, list[str]]):
    """recordingStatusCallback: no caller number in it, so it never creates the request (that would lose the
    caller); for a request the <Record> action already created, it queues the (idempotent) transcription job
    once the file is complete. Twilio wants only a 2xx here."""
    call_sid = (params.get("CallSid") or [""])[0]
    existing = container.repository().get_by_dedupe_key(f"phone#{call_sid}") if call_sid else None
    if existing is not None:
        _queue_transcription(params, existing.id)
    return _xml(twilio.TWIML_EMPTY)


def _queue_transcription(params: dict[str, list[str]], request_id: str) -> None:
    """Issue 22: the recording goes to Amazon Transcribe (tr-TR) from the `voicemail` queue. Both the <Record>
    action and the recordingStatusCallback come here: each queues the job (its consumer is idempotent), the
    second one once the file is certainly complete. A failed or absent recording queues nothing."""
    from ..usecases.voicemail import VoicemailJob

    status = (params.get("RecordingStatus") or [""])[0]
    url = (params.get("RecordingUrl") or [""])[0]
    sid = (params.get("RecordingSid") or [""])[0]
    if status not in ("", "completed") or not url or not sid or (params.get("TranscriptionText") or [""])[0]:
        return
    container.voicemail_queue().send(VoicemailJob(request_id=request_id, source="twilio", recording_id=sid[:80],
                                                  recording_url=url))
