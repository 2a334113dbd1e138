"""Amazon Connect contact-flow "Invoke AWS Lambda function" event → IntakeCommand, and the flat reply map.

No signature: IAM invokes the Lambda. The flow collects the caller's words (Lex/transcript or an agent
whisper) into contact attributes; we read `Talep`/`text`/`Transcript` and optional `Adres`/`Mahalle`.
"""
from __future__ import annotations

from typing import Any

from ...domain.models import Attachment, Channel, Citizen, IntakeCommand, Location

TEXT_KEYS = ("Talep", "talep", "text", "Text", "Transcript", "transcript", "Aciklama", "Açıklama")
ADDRESS_KEYS = ("Adres", "adres", "address", "Address")
NEIGHBOURHOOD_KEYS = ("Mahalle", "mahalle", "neighbourhood", "Neighbourhood")
NAME_KEYS = ("AdSoyad", "Ad", "name", "Name")
# Issue 22: a flow that records a voicemail (Set recording behavior) passes the recording's S3 location; the
# words then come from Amazon Transcribe (tr-TR) instead of a `Talep` attribute.
RECORDING_KEYS = ("SesKaydi", "VoicemailS3Uri", "RecordingS3Uri")
VOICEMAIL_PLACEHOLDER = "Sesli mesaj bırakıldı; yazıya dökülüyor / voicemail left, being transcribed"


class PayloadError(Exception):
    """Not a contact-flow event we can take in."""


def _first(maps: list[dict[str, Any]], keys: tuple[str, ...]) -> str | None:
    for m in maps:
        for key in keys:
            value = m.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def contact_command(event: dict[str, Any]) -> IntakeCommand:
    if not isinstance(event, dict) or event.get("Name") != "ContactFlowEvent":
        raise PayloadError("ContactFlowEvent bekleniyor / expected a ContactFlowEvent")
    details = _obj(event.get("Details"))
    data = _obj(details.get("ContactData"))
    contact_id = data.get("ContactId")
    if not isinstance(contact_id, str) or not contact_id.strip():
        raise PayloadError("ContactId eksik / ContactId is missing")
    maps = [_obj(details.get("Parameters")), _obj(data.get("Attributes"))]
    text = _first(maps, TEXT_KEYS)
    recording = _first(maps, RECORDING_KEYS)
    if not text and recording:
        text = VOICEMAIL_PLACEHOLDER
    if not text:
        raise PayloadError("Talep metni yok (Talep özniteliği) / no request text (attribute 'Talep')")
    endpoint = _obj(data.get("CustomerEndpoint"))
    citizen = None
    name = _first(maps, NAME_KEYS)
    if endpoint.get("Type") == "TELEPHONE_NUMBER" and isinstance(endpoint.get("Address"), str) and endpoint["Address"]:
        try:
            citizen = Citizen(phone=endpoint["Address"], name=name)
        except ValueError:
            citizen = Citizen(handle=endpoint["Address"], name=name)
    elif name:
        citizen = Citizen(name=name)
    address = _first(maps, ADDRESS_KEYS)
    neighbourhood = _first(maps, NEIGHBOURHOOD_KEYS)
    location = Location(address=address, neighbourhood=neighbourhood) if (address or neighbourhood) else None
    attachments = [Attachment(url=recording, kind="audio", provider_id=f"connect:{contact_id}")] if recording else []
    return IntakeCommand(channel=Channel.phone, channel_ref=f"connect:{_first([data], ('InitialContactId',)) or contact_id}",
                         text=text, citizen=citizen, location=location, attachments=attachments)


def recording_of(cmd: IntakeCommand) -> tuple[str, str] | None:
    """(recording id, s3:// URI) of a Connect voicemail the command carries, for Amazon Transcribe."""
    for a in cmd.attachments:
        if a.kind == "audio" and a.url and a.url.startswith("s3://") and (a.provider_id or "").startswith("connect:"):
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in a.provider_id.split(":", 1)[1])
            return f"connect-{safe}"[:80], a.url
    return None


def flow_reply(tracking_code: str, created: bool) -> dict[str, str]:
    """Contact attributes must be a flat string→string map; the spoken form is read digit by digit."""
    return {"status": "ok", "tracking_code": tracking_code, "tracking_code_spoken": " ".join(tracking_code),
            "new": "true" if created else "false",
            "message": f"Talebiniz alındı. Takip kodunuz {' '.join(tracking_code)}."}


def flow_error(message: str) -> dict[str, str]:
    return {"status": "error", "tracking_code": "", "message": message}
