"""Twilio SMS and Voice webhooks: X-Twilio-Signature verification and parsing into IntakeCommand.

Pure: no boto3, no chalice. The handler passes the raw body, the signature header and the public URL
rebuilt from PUBLIC_BASE_URL (API Gateway stage prefixes make naive reconstruction wrong).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit, urlunsplit
from xml.sax.saxutils import escape

from ...domain.models import Attachment, Channel, Citizen, IntakeCommand


class SignatureError(Exception):
    """The request was not signed by Twilio with our auth token."""


class PayloadError(Exception):
    """The form body lacks what Twilio always sends."""


def parse_form(raw_body: bytes | str) -> dict[str, list[str]]:
    if isinstance(raw_body, bytes):
        try:
            text = raw_body.decode("utf-8")
        except UnicodeDecodeError:
            from ...domain.errors import InvalidInput

            raise InvalidInput("Form verisi UTF-8 değil / form body is not UTF-8") from None
    else:
        text = raw_body
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False)
    except ValueError as exc:  # pragma: no cover - parse_qs is lenient
        raise PayloadError(f"form body not understood: {exc}") from None


def compute_signature(url: str, params: dict[str, list[str]] | dict[str, str], auth_token: str) -> str:
    """Twilio: HMAC-SHA1(auth token, URL + name+value for every param in sorted name order), base64."""
    payload = url
    for name in sorted(params):
        values = params[name]
        for value in ([values] if isinstance(values, str) else values):
            payload += name + value
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _url_variants(url: str) -> list[str]:
    """The SDK validators also try the URL with and without the default port."""
    parts = urlsplit(url)
    variants = [url]
    host = parts.hostname or ""
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if parts.port is None and default:
        netloc = f"{host}:{default}"
        variants.append(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))
    elif parts.port == default:
        variants.append(urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)))
    return variants


def verify_signature(url: str, params: dict[str, list[str]], signature: str | None, auth_token: str | None) -> None:
    if not auth_token:
        raise SignatureError("TWILIO_AUTH_TOKEN is not configured")
    if not signature:
        raise SignatureError("X-Twilio-Signature header is missing")
    for candidate in _url_variants(url):
        if hmac.compare_digest(compute_signature(candidate, params, auth_token), signature.strip()):
            return
    raise SignatureError("X-Twilio-Signature does not match")


def public_url(base_url: str, path: str, query: str = "") -> str:
    """The URL Twilio called: PUBLIC_BASE_URL (scheme, host and any stage prefix) + route path + query."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{query}" if query else url


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[0]


def _citizen(from_value: str) -> Citizen | None:
    value = from_value.removeprefix("whatsapp:").strip()
    if not value:
        return None
    try:
        return Citizen(phone=value)
    except ValueError:
        return Citizen(handle=value)


def sms_command(params: dict[str, list[str]]) -> IntakeCommand:
    sid = _one(params, "MessageSid") or _one(params, "SmsMessageSid") or _one(params, "SmsSid")
    if not sid:
        raise PayloadError("MessageSid eksik / MessageSid is missing")
    sender = _one(params, "From")
    if not sender:
        raise PayloadError("From eksik / From is missing")
    body = _one(params, "Body").strip()
    attachments = []
    try:
        media = int(_one(params, "NumMedia") or "0")
    except ValueError:
        raise PayloadError("NumMedia bir sayı olmalı / NumMedia must be a number") from None
    for i in range(min(media, 10)):
        url = _one(params, f"MediaUrl{i}")
        if not url:
            continue
        ctype = _one(params, f"MediaContentType{i}") or None
        kind = "image" if ctype and ctype.startswith("image/") else "video" if ctype and ctype.startswith("video/") \
            else "audio" if ctype and ctype.startswith("audio/") else "file"
        attachments.append(Attachment(url=url, content_type=ctype, kind=kind, provider_id=f"{sid}/{i}"))
    if not body and not attachments:
        raise PayloadError("Mesaj boş / message body is empty")
    return IntakeCommand(
        channel=Channel.sms,
        channel_ref=sid,
        text=body or "(ekli medya / media attached)",
        citizen=_citizen(sender),
        attachments=attachments,
    )


def recording_command(params: dict[str, list[str]]) -> IntakeCommand:
    call_sid = _one(params, "CallSid")
    recording_url = _one(params, "RecordingUrl")
    if not call_sid or not recording_url:
        raise PayloadError("CallSid ve RecordingUrl gerekli / CallSid and RecordingUrl are required")
    transcription = _one(params, "TranscriptionText").strip()
    duration = _one(params, "RecordingDuration")
    text = transcription or (
        f"Sesli mesaj bırakıldı ({duration} sn); kaydı dinleyin / voicemail left, listen to the recording"
        if duration else "Sesli mesaj bırakıldı; kaydı dinleyin / voicemail left, listen to the recording")
    attachment = Attachment(url=recording_url, kind="audio", content_type="audio/x-wav",
                            provider_id=_one(params, "RecordingSid") or None,
                            caption=transcription or None)
    return IntakeCommand(
        channel=Channel.phone,
        channel_ref=call_sid,  # one request per call, whichever callback arrives first
        text=text,
        citizen=_citizen(_one(params, "From")),
        attachments=[attachment],
    )


TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def twiml_message(text: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(text)}</Message></Response>'


def twiml_voice_greeting(action_url: str) -> str:
    greeting = ("Belediyemizi aradığınız için teşekkür ederiz. Lütfen sinyal sesinden sonra talebinizi, "
                "adresinizle birlikte anlatın. Bitirdiğinizde kare tuşuna basın.")
    return ('<?xml version="1.0" encoding="UTF-8"?><Response>'
            f'<Say language="tr-TR">{escape(greeting)}</Say>'
            f'<Record action="{escape(action_url)}" method="POST" maxLength="180" finishOnKey="#" '
            f'playBeep="true" recordingStatusCallback="{escape(action_url)}"/>'
            '<Say language="tr-TR">Mesaj alınamadı. Lütfen daha sonra tekrar arayın.</Say>'
            '</Response>')


def twiml_voice_thanks(tracking_code: str) -> str:
    spaced = " ".join(tracking_code)
    return ('<?xml version="1.0" encoding="UTF-8"?><Response>'
            f'<Say language="tr-TR">Talebiniz alındı. Takip kodunuz: {escape(spaced)}. İyi günler dileriz.</Say>'
            '<Hangup/></Response>')
