"""What the Meta webhook parsers share (Facebook, Instagram: inbound.py; WhatsApp: whatsapp.py): the parsed
batch, the placeholder texts of items without words, and forgiving readers of Graph values."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from ...domain.contact import normalise_phone
from ...domain.models import IntakeCommand
from ...domain.outbound import DeliveryUpdate  # what a platform says about a message WE sent

# Placeholders when a message carries no text of its own (IntakeCommand.text may not be empty).
NO_TEXT = {
    "image": "[Fotoğraf / photo]",
    "video": "[Video / video]",
    "audio": "[Ses kaydı / audio]",
    "file": "[Dosya / file]",
    "sticker": "[Çıkartma / sticker]",
    "location": "[Konum / location]",
    "link": "[Bağlantı / link]",
}


@dataclass
class ParsedBatch:
    commands: list[IntakeCommand] = field(default_factory=list)
    delivery_updates: list[DeliveryUpdate] = field(default_factory=list)
    ignored: int = 0  # echoes, edits, removals, reactions, read receipts, unparseable items


def stamp(value: Any, *, millis: bool) -> datetime | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    if millis:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def e164(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return normalise_phone("+" + raw.lstrip("+"))
    except ValueError:
        return None


def add_command(commands: list[IntakeCommand], batch: ParsedBatch, **kw: Any) -> None:
    """Validate one command; a single malformed item is skipped, never fails the whole batch."""
    try:
        commands.append(IntakeCommand(**kw))
    except ValidationError:
        batch.ignored += 1


ATTACHMENT_KIND = {"image": "image", "video": "video", "audio": "audio", "file": "file", "sticker": "sticker",
                    "document": "file", "voice": "audio", "reel": "video", "ig_reel": "video",
                    "story_mention": "link", "share": "link", "fallback": "link", "template": "link"}
