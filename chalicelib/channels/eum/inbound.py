"""AWS End User Messaging SMS (ex Pinpoint) two-way SMS delivered through SNS → IntakeCommand. Pure."""
from __future__ import annotations

from typing import Any

from ...domain.models import Channel, Citizen, IntakeCommand
from ..email.sns import decode_message


class PayloadError(Exception):
    """The SNS message is not an inbound SMS payload."""


def parse_message(message: str | dict[str, Any]) -> dict[str, Any]:
    message = decode_message(message, PayloadError)
    for field in ("originationNumber", "inboundMessageId"):
        if not message.get(field):
            raise PayloadError(f"{field} eksik / {field} is missing")
    return message


def sms_command(message: dict[str, Any]) -> IntakeCommand:
    body = str(message.get("messageBody") or "").strip()
    if not body:
        raise PayloadError("Mesaj boş / message body is empty")
    try:
        citizen = Citizen(phone=str(message["originationNumber"]))
    except ValueError:
        citizen = Citizen(handle=str(message["originationNumber"]))
    return IntakeCommand(channel=Channel.sms, channel_ref=f"eum:{message['inboundMessageId']}", text=body,
                         citizen=citizen)
