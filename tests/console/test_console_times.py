"""Issue 19: every time staff read is the municipality's local time (Europe/Istanbul), the same instant shown the
same way in the inbox row, the request header, the conversation bubbles and the timeline, with the UTC instant
in `<time datetime>`; analytics and exports count it on the local day. Frozen at 22:30 UTC on 31 December:
already 01:30 on 1 January in Istanbul, so a UTC/local mix-up shows as a different day and hour."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from tests.conftest import auth
from tests.console.helpers import create, form_post, hidden, session, text_of
from tests.support.clock import frozen_at

INSTANT = datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc)
TIME = re.compile(r'<time datetime="([^"]+)">([^<]+)</time>')


def _times(html: str) -> list[tuple[str, str]]:
    return TIME.findall(html)


def _local(text: str) -> bool:
    """Istanbul's clock at INSTANT (the test runs on for seconds, a minute at most on a loaded machine)."""
    return re.fullmatch(r"01\.01\.2027 01:3[0-2]", text) is not None


def test_one_instant_reads_the_same_local_time_everywhere(client, pump, aws):
    from chalicelib.usecases.analytics import clear_public_cache

    with frozen_at(INSTANT):
        made = create(client, "Harman mahallesinde sokak lambası yanmıyor, gece çok karanlık", "tz-1",
                      citizen={"phone": "+905321110077"}, channel="sms")
        pump.drain()
        admin, csrf = session("admin")
        page = text_of(client.http.get(f"/console/requests/{made['id']}", headers=admin).body)
        r = form_post(client, f"/console/requests/{made['id']}/note", admin,
                      {"text": "Ekip yönlendirildi", "csrf": csrf, "version": hidden(page, "version")})
        assert r.status_code in (302, 303), text_of(r.body)
        pump.drain()

        inbox = text_of(client.http.get("/console?sort=new", headers=admin).body)
        row = re.search(rf'<tr[^>]*data-request-id="{made["id"]}".*?</tr>', inbox, re.S)
        assert row, "the request is not in the inbox"
        row_times = _times(row.group(0))
        view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=admin).body)
        header = re.search(r'<p class="meta">.*?</p>', view, re.S)
        convo = view[view.index('data-testid="timeline"'):]
        convo = convo[:convo.index("</ol>")]
        bubbles = _times(convo)

    received = row_times[0]
    assert received[0].endswith("Z") and received[0].startswith("2026-12-31T22:3"), received  # the UTC instant
    assert _local(received[1]), received  # ... read as Istanbul's new year, not "31.12.2026 22:30"
    assert header and received in _times(header.group(0)), "the header's received time differs from the inbox"
    # the citizen's message bubble (received_at), the routing sentence, the staff note: all one local clock
    assert len(bubbles) >= 3, bubbles
    assert bubbles[0] == received, (bubbles[0], received)
    for iso, shown in bubbles:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0
        assert _local(shown), (iso, shown)
    assert not re.search(r"31\.12\.2026 2[23]:\d\d", inbox + view), "a UTC wall-clock time leaked into the page"

    # analytics and exports count it on Istanbul's day: 1 January 2027, none on 31 December
    clear_public_cache()
    def count(day: str) -> int:
        got = client.http.get(f"/analytics/summary?since={day}&until={day}", headers=auth("admin"))
        assert got.status_code == 200, got.json_body
        return got.json_body["totals"]["count"]
    assert count("2027-01-01") == 1 and count("2026-12-31") == 0
    export = client.http.get("/analytics/export?format=csv&since=2027-01-01&until=2027-01-01", headers=auth("admin"))
    assert export.status_code == 200 and "Harman" in text_of(export.body)


def test_time_tag_is_local_text_with_the_utc_instant():
    from chalicelib.web.render import fmt_time, iso_utc, time_tag

    assert str(time_tag(INSTANT)) == '<time datetime="2026-12-31T22:30:00Z">01.01.2027 01:30</time>'
    assert str(time_tag("2026-12-31T22:30:00+00:00")) == str(time_tag(INSTANT))
    assert str(time_tag("2026-12-31T22:30:00")) == str(time_tag(INSTANT))  # stored naive means UTC
    assert fmt_time("2027-01-01T01:30:00+03:00") == "01.01.2027 01:30"  # an offset is honoured, not re-added
    assert iso_utc("2027-01-01T01:30:00+03:00") == "2026-12-31T22:30:00Z"
    assert str(time_tag(None)) == "—" and fmt_time("not a time") == "not a time"
    # summer and winter alike: Türkiye keeps UTC+3 all year
    assert fmt_time(datetime(2026, 7, 1, 21, 5, tzinfo=timezone.utc)) == "02.07.2026 00:05"


def test_the_citizens_bubble_shows_when_the_citizen_sent_it_not_when_it_was_recorded():
    """The reported bug: header 23:48, bubble 01:48 for a message the demo seed (or a late webhook, an import)
    recorded two hours after the citizen sent it. Both now read the request's received_at."""
    from chalicelib.web.conversation import conversation

    sent, recorded = "2026-12-07T20:48:00+00:00", "2026-12-07T22:48:00+00:00"
    doc = {"received_at": sent, "text": "Lamba yanmıyor", "channel": "whatsapp",
           "timeline": [{"id": "e1", "at": recorded, "type": "received", "actor": "seed", "data": {"channel": "whatsapp"}},
                        {"id": "e2", "at": recorded, "type": "note", "actor": "ali", "data": {"text": "bakılıyor"}}]}
    labels = {"departments": {}, "statuses": {}, "categories": {}, "channels": {}}
    items = conversation(doc, labels)
    assert [(i["kind"], i["at"]) for i in items] == [("citizen", sent), ("note", recorded)]


def test_the_citizens_app_gets_the_municipality_time_zone(client):
    """The app shows a request's updates in the municipality's time (app.js formats `updated_datetime`, UTC in
    the Open311 API, with this zone), not the raw UTC text."""
    import json as json_

    page = text_of(client.http.get("/app").body)
    config = json_.loads(re.search(r"window\.ULAKBEL = (\{.*?\});</script>", page).group(1))
    assert config["timezone"] == "Europe/Istanbul"


def test_the_zone_comes_from_the_municipality_data(monkeypatch):
    """Not a constant: another municipality's `timezone` moves the shown clock and the analytics day with it."""
    from chalicelib.domain import identity as identity_module
    from chalicelib.usecases.analytics_counters import local_day
    from chalicelib.web.render import fmt_time

    assert local_day(INSTANT) == "2027-01-01" and fmt_time(INSTANT) == "01.01.2027 01:30"
    elsewhere = identity_module.identity().model_copy(update={"timezone": "Europe/Lisbon"})
    monkeypatch.setattr(identity_module, "identity", lambda: elsewhere)
    assert local_day(INSTANT) == "2026-12-31" and fmt_time(INSTANT) == "31.12.2026 22:30"
