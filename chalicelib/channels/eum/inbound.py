"""AWS End User Messaging SMS (ex Pinpoint) two-way SMS delivered through SNS → IntakeCommand. Pure."""
from __future__ import annotations

import json
from typing import Any

from ...domain.models import Channel, Citizen, IntakeCommand


class PayloadError(Exception):
    """The SNS message is not an inbound SMS payload."""


def parse_message(message: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            raise PayloadError("SNS Message JSON değil / SNS Message is not JSON") from None
    if not isinstance(message, dict):
        raise PayloadError("SNS Message bir nesne olmalı / SNS Message must be an object")
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
