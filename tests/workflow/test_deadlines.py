"""SLA calendar: working days only, Turkish public holidays skipped, CİMER/e-Devlet 30-day legal rule."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from chalicelib.routing.deadlines import WorkCalendar, add_working_hours, compute_due, legal_deadline, load_calendar

IST = ZoneInfo("Europe/Istanbul")
CAL = WorkCalendar(closed=frozenset({date(2026, 10, 29)}))  # Cumhuriyet Bayramı


def local(y, m, d, h=10, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=IST)


def test_weekday_sla_is_plain_hours():
    assert add_working_hours(local(2026, 11, 3), 24, CAL) == local(2026, 11, 4)


def test_weekend_is_skipped():
    # Friday 10:00 + 24 h: Saturday and Sunday do not count -> Monday 10:00
    assert add_working_hours(local(2026, 10, 23), 24, CAL) == local(2026, 10, 26)
    # 48 h from Friday 10:00 -> Tuesday 10:00
    assert add_working_hours(local(2026, 10, 23), 48, CAL) == local(2026, 10, 27)


def test_received_on_a_weekend_starts_counting_on_monday():
    assert add_working_hours(local(2026, 10, 24, 15), 24, CAL) == local(2026, 10, 27, 0)


def test_public_holiday_is_skipped():
    # Wednesday 28 Oct 10:00 + 24 h: Thursday 29 Oct is Republic Day -> Friday 10:00
    assert add_working_hours(local(2026, 10, 28), 24, CAL) == local(2026, 10, 30)
    # + 48 h crosses the holiday and the weekend -> Monday 2 Nov 10:00
    assert add_working_hours(local(2026, 10, 28), 48, CAL) == local(2026, 11, 2)


def test_loaded_calendar_has_turkish_public_holidays_and_weekend():
    cal = load_calendar(date(2026, 6, 1))
    assert not cal.is_working_day(date(2026, 10, 29))  # Cumhuriyet Bayramı
    assert not cal.is_working_day(date(2026, 3, 20))  # Ramazan Bayramı
    assert not cal.is_working_day(date(2026, 5, 1))
    assert not cal.is_working_day(date(2026, 11, 1))  # Sunday
    assert cal.is_working_day(date(2026, 11, 2))
    # Kurban Bayramı 2026 (27-30 May) with its eve: Tue 26 May 10:00 + 24 h lands on Monday 1 June 10:00
    assert add_working_hours(local(2026, 5, 26), 24, cal) > local(2026, 5, 31)


def test_calendar_file_is_configurable(tmp_path, monkeypatch):
    f = tmp_path / "cal.yaml"
    f.write_text("weekend: [7]\npublic_holidays: null\nextra_closed: ['2026-11-04']\nlegal_days: {cimer: 15}\n")
    monkeypatch.setenv("ULAKBEL_CALENDAR_FILE", str(f))
    cal = load_calendar(date(2026, 11, 1))
    assert cal.is_working_day(date(2026, 10, 31))  # Saturday works here
    assert not cal.is_working_day(date(2026, 11, 4))
    assert cal.legal_days == {"cimer": 15}


def test_cimer_legal_deadline_is_30_calendar_days():
    due = legal_deadline(local(2026, 11, 2), "cimer", CAL)
    assert due == datetime(2026, 12, 2, 23, 59, 59, tzinfo=IST)
    assert legal_deadline(local(2026, 11, 2), "e_devlet", CAL) == due
    assert legal_deadline(local(2026, 11, 2), "whatsapp", CAL) is None


def test_legal_deadline_on_a_weekend_moves_to_next_working_day():
    # 5 Nov + 30 days = Saturday 5 Dec -> Monday 7 Dec, end of day
    assert legal_deadline(local(2026, 11, 5), "cimer", CAL) == datetime(2026, 12, 7, 23, 59, 59, tzinfo=IST)


def test_the_sooner_of_sla_and_legal_deadline_wins():
    received = local(2026, 11, 2)
    # 30 working days of SLA is later than 30 calendar days: the law wins
    assert compute_due(received, 30 * 24, "cimer", CAL) == datetime(2026, 12, 2, 23, 59, 59, tzinfo=IST)
    # a 3-day SLA is sooner than the law
    assert compute_due(received, 72, "cimer", CAL) == local(2026, 11, 5)
    # a deadline the channel gave (e.g. CİMER's own) wins when it is sooner still
    given = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
    assert compute_due(received, 72, "cimer", CAL, given=given) == given
    # ordinary channels have no legal deadline
    assert compute_due(received, 30 * 24, "sms", CAL) > datetime(2026, 12, 10, tzinfo=IST)
