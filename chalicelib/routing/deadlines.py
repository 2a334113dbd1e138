"""SLA deadlines on a working-day calendar (weekends and Turkish public holidays skipped).

Pure: a `WorkCalendar` is plain data; `load_calendar()` builds it from calendar.yaml plus the `holidays`
package (country TR). Rules:

- A category SLA of N hours counts only time that falls on working days (local time, Europe/Istanbul):
  a 24-hour SLA received on Friday 10:00 is due on Monday 10:00; a public holiday in between adds a day.
- CİMER and e-Devlet applications carry a legal deadline of 30 calendar days (3071 sayılı Kanun); when the
  last day is not a working day it moves to the end of the next working day. The due date is whichever of
  the SLA deadline, the legal deadline and a deadline given by the channel comes first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from ..domain import data_files

DEFAULT_FILE = data_files.default_folder() / data_files.FILES["calendar"]


@dataclass(frozen=True)
class WorkCalendar:
    timezone: str = "Europe/Istanbul"
    weekend: frozenset[int] = frozenset({6, 7})
    closed: frozenset[date] = frozenset()
    open_days: frozenset[date] = frozenset()
    legal_days: dict[str, int] = field(default_factory=lambda: {"cimer": 30, "e_devlet": 30})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        if day in self.open_days:
            return True
        return day.isoweekday() not in self.weekend and day not in self.closed

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def add_working_hours(start: datetime, hours: float, cal: WorkCalendar) -> datetime:
    """`start` plus `hours` of time that lies on working days (whole local days count, nights included)."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    local = start.astimezone(cal.tz)
    remaining = timedelta(hours=hours)
    day = local.date()
    cursor = local
    if not cal.is_working_day(day):
        day = cal.next_working_day(day)
        cursor = datetime.combine(day, time(0), cal.tz)
    for _ in range(3700):  # ten years of days: a bound, never reached with sane data
        end_of_day = datetime.combine(day + timedelta(days=1), time(0), cal.tz)
        available = end_of_day - cursor
        if remaining <= available:
            return (cursor + remaining).astimezone(timezone.utc)
        remaining -= available
        day = cal.next_working_day(day + timedelta(days=1))
        cursor = datetime.combine(day, time(0), cal.tz)
    raise ValueError("calendar has no working days")


def legal_deadline(received: datetime, channel: str, cal: WorkCalendar) -> datetime | None:
    """Calendar days for CİMER / e-Devlet; the end of the last day, moved to the next working day if closed."""
    days = cal.legal_days.get(channel)
    if not days:
        return None
    if received.tzinfo is None:
        received = received.replace(tzinfo=timezone.utc)
    last = cal.next_working_day(received.astimezone(cal.tz).date() + timedelta(days=days))
    return (datetime.combine(last + timedelta(days=1), time(0), cal.tz) - timedelta(seconds=1)).astimezone(
        timezone.utc)


def compute_due(received: datetime, sla_hours: float | None, channel: str, cal: WorkCalendar,
                given: datetime | None = None) -> datetime | None:
    """Whichever comes first: category SLA on working days, the legal deadline, a deadline the channel gave."""
    candidates = []
    if sla_hours:
        candidates.append(add_working_hours(received, sla_hours, cal))
    legal = legal_deadline(received, channel, cal)
    if legal is not None:
        candidates.append(legal)
    if given is not None:
        candidates.append(given if given.tzinfo else given.replace(tzinfo=timezone.utc))
    return min(candidates) if candidates else None


def _turkish_holidays(years: range, country: str, half_days: bool) -> set[date]:
    import holidays

    categories = ("public", "half_day") if half_days else ("public",)
    try:
        found = holidays.country_holidays(country, years=list(years), categories=categories)
    except Exception:  # an older `holidays` without the category: public holidays only
        found = holidays.country_holidays(country, years=list(years))
    return set(found.keys())


@lru_cache(maxsize=4)
def _load(path: str, first_year: int, last_year: int) -> WorkCalendar:
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    closed: set[date] = set()
    if raw.get("public_holidays"):
        closed |= _turkish_holidays(range(first_year, last_year + 1), raw["public_holidays"],
                                    bool(raw.get("half_days_closed", False)))
    closed |= {date.fromisoformat(str(d)) for d in raw.get("extra_closed") or []}
    return WorkCalendar(
        timezone=raw.get("timezone", "Europe/Istanbul"),
        weekend=frozenset(int(d) for d in raw.get("weekend", [6, 7])),
        closed=frozenset(closed),
        open_days=frozenset(date.fromisoformat(str(d)) for d in raw.get("extra_open") or []),
        legal_days={str(k): int(v) for k, v in (raw.get("legal_days") or {}).items()},
    )


def load_calendar(today: date | None = None) -> WorkCalendar:
    """the municipality's calendar.yaml (or ULAKBEL_CALENDAR_FILE) with Turkish public holidays for last year .. two years ahead."""
    year = (today or date.today()).year
    return _load(str(data_files.path("calendar")), year - 1, year + 2)
