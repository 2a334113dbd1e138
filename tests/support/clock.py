"""Freezing the clock for tests whose verdict depends on the date (the suite must pass on any day, at any hour).

`time_machine` moves every clock of the process — the Chalice test client, the use cases and the embedded moto
server's threads — to one instant, and lets it tick from there so timeouts still work.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

import time_machine

# Instants that have broken date arithmetic before, or could: a 90-day range over 3 and over 4 month partitions,
# the last minute of a UTC day that is already the next day in Istanbul, and a Turkish public holiday.
AWKWARD_INSTANTS = {
    "four-months": datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc),
    "three-months": datetime(2026, 12, 31, 12, 0, tzinfo=timezone.utc),
    "new-year-in-istanbul": datetime(2026, 12, 31, 21, 30, tzinfo=timezone.utc),
    "utc-2359": datetime(2027, 3, 30, 23, 59, tzinfo=timezone.utc),
    "ramazan-bayrami": datetime(2027, 3, 10, 9, 0, tzinfo=timezone.utc),
}


@contextmanager
def frozen_at(instant: datetime) -> Iterator[datetime]:
    """Run the block with the process' clocks at `instant`, ticking."""
    with time_machine.travel(instant, tick=True):
        yield instant
