"""The doors' use cases on the in-memory twin: CİMER import, the Netgsm inbox poll, YouTube comments, the
citizen's tracking page and the notifications a timeline event queues."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.errors import NotFound, RateLimited
from chalicelib.domain.models import Channel, TimelineEvent
from chalicelib.usecases import imports, intake, netgsm_poll, notify, tracking, youtube_comments
from tests.conftest import FIXTURES
from tests.usecases.conftest import NOW, sms

KEY = "link-key-for-tests"


def test_a_cimer_file_is_previewed_then_imported_once(repo):
    content = (FIXTURES / "cimer/basvurular.csv").read_bytes()
    preview = imports.import_file(content, "csv", Channel.cimer, repo, actor="agent-1", dry_run=True)
    assert (preview["would_create"], preview["duplicates"], preview["failed"]) == (3, 1, 2)  # one number twice
    assert preview["created"] == 0 and not any(k[0].startswith("REQ#") for k in repo.items)  # a preview writes nothing
    done = imports.import_file(content, "csv", Channel.cimer, repo, actor="agent-1")
    assert (done["created"], done["duplicates"], done["failed"]) == (3, 1, 2)
    again = imports.import_file(content, "csv", Channel.cimer, repo, actor="agent-1")
    assert (again["created"], again["duplicates"]) == (0, 4)


class Inbox:
    """The Netgsm inbox port: recorded pages by window, every window asked for kept."""

    def __init__(self, *pages: str) -> None:
        from chalicelib.channels.netgsm.inbound import parse_inbox

        self.pages = [parse_inbox(200, (FIXTURES / "netgsm" / p).read_bytes()) for p in pages]
        self.windows: list[tuple[datetime, datetime]] = []

    def fetch(self, start: datetime, stop: datetime):
        self.windows.append((start, stop))
        return self.pages.pop(0) if self.pages else []


def test_the_netgsm_poll_takes_each_sms_once_and_moves_its_window(repo):
    now = datetime(2026, 11, 27, 7, 30, tzinfo=timezone.utc)
    first = netgsm_poll.poll(Inbox("inbox_page1.json"), repo, window=timedelta(hours=1), now=now)
    assert (first["windows"], first["messages"], first["created"]) == (1, 2, 2)
    inbox = Inbox("inbox_page1.json")
    again = netgsm_poll.poll(inbox, repo, window=timedelta(hours=1), now=now + timedelta(minutes=30))
    assert (again["created"], again["duplicates"]) == (0, 2)  # the overlap re-reads, intake dedupes
    assert inbox.windows[0][0] == now - netgsm_poll.OVERLAP


class Marks:
    def __init__(self) -> None:
        self.mark: datetime | None = None

    def get_mark(self, _channel: str) -> datetime | None:
        return self.mark

    def set_mark(self, _channel: str, mark: datetime) -> None:
        self.mark = mark


class CommentApi:
    def comment_threads(self, channel_id: str, token: str | None):
        import json

        name = "comment_threads_page2.json" if token else "comment_threads_page1.json"
        return json.loads((FIXTURES / "youtube" / name).read_text(encoding="utf-8"))


def test_youtube_comments_are_taken_in_once_and_the_mark_moves_after(repo):
    channel, now = "UCx1b2c3d4e5f6g7h8i9j0kL", datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
    marks = Marks()
    assert youtube_comments.poll_comments(CommentApi(), marks, repo, channel, now=now) == \
        {"comments": 3, "created": 3, "ignored": 1}
    assert marks.mark == datetime(2026, 11, 29, 2, 50, tzinfo=timezone.utc)
    marks.mark = None  # a lost mark re-reads everything and still creates nothing
    assert youtube_comments.poll_comments(CommentApi(), marks, repo, channel, now=now)["created"] == 0
    assert repo.get_by_dedupe_key("youtube#UgzA1") is not None


class Counters:
    """The rate counters port, windows ignored (the test never waits)."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}

    def hit(self, key: str, window_seconds: int) -> int:
        self.hits[key] = self.hits.get(key, 0) + 1
        return self.hits[key]

    def peek(self, key: str, window_seconds: int) -> int:
        return self.hits.get(key, 0)


def test_tracking_needs_the_phones_last_digits_or_a_signed_link_and_counts_failures(repo):
    request, _ = intake.intake(sms("Sokak lambası yanmıyor", "SM-track"), repo)
    counters = Counters()
    view = tracking.track(repo, counters, request.tracking_code.lower(), phone_last4="4567", sig=None,
                          client="1.2.3.4", link_key=KEY)
    assert view["tracking_code"] == request.tracking_code and "citizen" not in view
    query = dict(p.split("=") for p in notify.signed_query(KEY, "track", request.tracking_code, NOW).split("&"))
    assert tracking.track(repo, counters, request.tracking_code, phone_last4=None, sig=query["sig"],
                          exp=query["exp"], client="1.2.3.4", link_key=KEY, now=NOW)["status"] == "new"
    for _ in range(tracking.PER_CLIENT_FAILURES[0]):
        with pytest.raises(NotFound):
            tracking.track(repo, counters, request.tracking_code, phone_last4="0000", sig=None, client="6.6.6.6",
                           link_key=KEY)
    with pytest.raises(RateLimited):  # the right digits no longer help this address
        tracking.track(repo, counters, request.tracking_code, phone_last4="4567", sig=None, client="6.6.6.6",
                       link_key=KEY)


def test_a_received_event_queues_one_sms_notification_once(repo, queue):
    request, _ = intake.intake(sms("Sokak lambası yanmıyor", "SM-notify"), repo)
    event = next(e for e in repo.get(request.id).timeline if e.type == "received")
    kwargs = {"base_url": "https://talas.example", "link_key": KEY, "now": NOW}
    assert notify.on_event(request.id, event, repo, queue, **kwargs) == ["received"]
    assert notify.on_event(request.id, event, repo, queue, **kwargs) == ["received"]  # a redelivered record
    assert len(queue.sent) == 1 and queue.sent[0].to == "+905051234567" and queue.sent[0].route == "sms"
    assert request.tracking_code in queue.sent[0].text
    note = TimelineEvent(id="01JNOTE", at=NOW, type="note", data={"text": "iç not"})
    assert notify.on_event(request.id, note, repo, queue, **kwargs) == []


def test_a_voicemail_transcript_reroutes_the_placeholder_request_once(repo, queue):
    from chalicelib.domain.models import Classification
    from chalicelib.usecases import route, voicemail

    def classify(text, **_):
        dept = "temizlik" if "çöp" in text else "fen"
        return Classification(category="cop_toplama" if dept == "temizlik" else "yol_bakim", department=dept,
                              confidence=0.9, explanation="test")

    request, _ = intake.intake(sms("Sesli mesaj (yazıya dökülüyor)", "CA-voice"), repo)
    with pytest.raises(voicemail.NotRoutedYet):  # the stream routes it first; the transcript waits for that
        voicemail.apply_transcript(repo, queue, classify, job="job-1", request_id=request.id, text="çöpler", at=NOW)
    route.route_new_request(request, repo, queue, classify, clock=lambda: NOW, clustering=None)
    spoken = "Mahallede çöpler üç gündür toplanmadı"
    kwargs = {"job": "job-1", "request_id": request.id, "text": spoken, "at": NOW, "clock": lambda: NOW}
    assert voicemail.apply_transcript(repo, queue, classify, **kwargs) == "rerouted"
    assert voicemail.apply_transcript(repo, queue, classify, **kwargs) == "duplicate"
    after = repo.get(request.id)
    assert after.department == "temizlik" and after.text == spoken
    assert [t.department for t in queue.sent] == ["fen", "temizlik"]
    assert voicemail.apply_transcript(repo, queue, classify, **{**kwargs, "request_id": "nope"}) == "missing"
