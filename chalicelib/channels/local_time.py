"""Times as Turkish platforms and exports write them: ISO 8601, or one of the platform's own formats, in
Turkey's time (Europe/Istanbul) when no offset is given."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo

TURKEY = ZoneInfo("Europe/Istanbul")


def parse_local(value: str, formats: Iterable[str]) -> datetime | None:
    """The aware datetime `value` stands for, or None when neither ISO 8601 nor any of `formats` reads it."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        for fmt in formats:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TURKEY)
