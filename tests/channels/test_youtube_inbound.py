"""YouTube: WebSub intent + X-Hub-Signature, Atom parsing, commentThreads pages and the poller."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest

from chalicelib.channels.youtube import inbound
from chalicelib.channels.youtube.api import YouTubeApi, YouTubeApiError
from chalicelib.domain.errors import InvalidInput
from tests.conftest import FIXTURES

CH = "UCx1b2c3d4e5f6g7h8i9j0kL"


def raw(name: str) -> bytes:
    return (FIXTURES / "youtube" / name).read_bytes()


def test_signature_sha1_hex_over_raw_body_and_other_websub_algorithms():
    body = raw("websub_upload.xml")
    expected = "sha1=" + hmac.new(b"s3cret", body, hashlib.sha1).hexdigest()
    assert inbound.sign(body, "s3cret") == expected
    assert inbound.verify_signature(body, expected, "s3cret")
    assert inbound.verify_signature(body, inbound.sign(body, "s3cret", "sha256"), "s3cret")
    assert not inbound.verify_signature(body, expected, "stale")
    assert not inbound.verify_signature(body, "md5=" + hashlib.md5(body).hexdigest(), "s3cret")
    assert not inbound.verify_signature(body, None, "s3cret")
    assert not inbound.verify_signature(body, "sha1", "s3cret")


def test_intent_verification():
    params = {"hub.mode": "subscribe", "hub.topic": inbound.topic_url(CH), "hub.challenge": "abc123",
              "hub.lease_seconds": "432000"}
    asked = {"mode": "subscribe", "at": 1_790_000_000}
    now = asked["at"] + 5  # the hub asks seconds after our request
    assert inbound.verify_intent(params, CH, asked, now) == "abc123"
    # an unsubscribe we never asked for (a third party trying to cancel ours) is refused
    assert inbound.verify_intent({**params, "hub.mode": "unsubscribe"}, CH, asked, now) is None
    assert inbound.verify_intent({**params, "hub.mode": "unsubscribe"}, CH,
                                 {"mode": "unsubscribe", "at": asked["at"]}, now) == "abc123"
    assert inbound.verify_intent(params, CH, None, now) is None  # nothing asked: a stranger's subscribe
    assert inbound.verify_intent(params, CH, asked, asked["at"] + 2 * 3600) is None  # long ago
    assert inbound.verify_intent(params, "UCsomeoneelse", asked, now) is None
    # no channel configured: no topic at all is ours (it once accepted any YouTube feed topic)
    assert inbound.verify_intent(params, None, asked, now) is None
    assert inbound.verify_intent({**params, "hub.topic": "https://evil.example/feed"}, None, asked, now) is None
    assert inbound.verify_intent({**params, "hub.challenge": ""}, CH, asked, now) is None


def test_atom_upload_and_deletion():
    [video] = inbound.parse_feed(raw("websub_upload.xml"))
    assert video.video_id == "Zk3mP9qR2sT" and video.channel_id == CH
    assert video.title == "Belediye Meclisi Kasım Toplantısı"
    assert video.published == datetime(2026, 11, 29, 3, 0, 57, tzinfo=timezone.utc)
    assert video.updated.microsecond == 552394
    [gone] = inbound.parse_feed(raw("websub_deleted.xml"))
    assert gone.deleted and gone.video_id == "Zk3mP9qR2sT"


@pytest.mark.parametrize("body", [b"not xml", b"<rss/>",
                                  b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "a">]><feed/>'])
def test_bad_atom_is_invalid_input(body):
    with pytest.raises(InvalidInput):
        inbound.parse_feed(body)


def test_comment_page_skips_own_comments_and_stops_at_mark():
    page = inbound.parse_comment_threads(json.loads(raw("comment_threads_page1.json")), CH,
                                         datetime(2026, 11, 29, 2, 35, tzinfo=timezone.utc))
    [cmd] = page.commands
    assert cmd.channel == "youtube" and cmd.channel_ref == "UgzA1"
    assert cmd.citizen.platform_id == "UCcitizenAAAAAAAAAAAAAA1" and cmd.citizen.handle == "@hakanpolat"
    assert cmd.in_reply_to == "dQw4w9WgXcQ"
    assert page.reached_mark and page.ignored == 1
    assert page.newest == datetime(2026, 11, 29, 2, 50, tzinfo=timezone.utc)
    assert page.next_page_token == "QURTSl9pMlQ"


class Recorded:
    """Replays recorded API responses keyed by pageToken and records every call."""

    def __init__(self, pages: dict[str | None, bytes], status: int = 200) -> None:
        self.pages, self.status, self.calls = pages, status, []

    def __call__(self, method, url, headers, body):
        from urllib.parse import parse_qs, urlparse

        self.calls.append((method, url, body))
        if "pubsubhubbub" in url:
            return 202, b""
        token = parse_qs(urlparse(url).query).get("pageToken", [None])[0]
        return self.status, self.pages[token]


class Marks:
    def __init__(self, mark=None):
        self.mark = mark

    def get_mark(self, _channel):
        return self.mark

    def set_mark(self, _channel, mark):
        self.mark = mark


def Repo():  # noqa: N802  (reads like the stand-in class it replaced)
    """The in-memory twin of the repository: intake's dedupe, reopen look-ups and conditions as in DynamoDB."""
    from chalicelib.adapters.memory import InMemoryRepository

    return InMemoryRepository()


def test_poller_pages_until_mark_advances_it_and_a_repoll_creates_nothing():
    from chalicelib.usecases.youtube_comments import poll_comments

    transport = Recorded({None: raw("comment_threads_page1.json"), "QURTSl9pMlQ": raw("comment_threads_page2.json")})
    api, marks, repo = YouTubeApi("key-123", transport), Marks(), Repo()
    now = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
    assert poll_comments(api, marks, repo, CH, now=now) == {"comments": 3, "created": 3, "ignored": 1}
    for ref in ("UgzA1", "UgzC3", "UgzD4"):
        assert repo.get_by_dedupe_key(f"youtube#{ref}") is not None
    assert repo.get_by_dedupe_key("youtube#UgzB2") is None  # the channel's own comment is skipped
    assert marks.mark == datetime(2026, 11, 29, 2, 50, tzinfo=timezone.utc)
    assert "allThreadsRelatedToChannelId=" + CH in transport.calls[0][1] and "key=key-123" in transport.calls[0][1]
    again = poll_comments(api, marks, repo, CH, now=now)
    assert again["created"] == 0 and len(transport.calls) == 3  # stopped on page 1 at the mark
    marks.mark = None  # lost mark: re-polling everything still creates nothing new
    assert poll_comments(api, marks, repo, CH, now=now)["created"] == 0


def test_api_error_is_raised_and_mark_not_moved():
    from chalicelib.usecases.youtube_comments import poll_comments

    body = json.dumps({"error": {"code": 403, "message": "quotaExceeded"}}).encode()
    marks = Marks()
    with pytest.raises(YouTubeApiError, match="quotaExceeded"):
        poll_comments(YouTubeApi("k", Recorded({None: body}, status=403)), marks, Repo(), CH)
    assert marks.mark is None


def test_subscribe_posts_the_websub_form():
    transport = Recorded({})
    YouTubeApi("k", transport).subscribe(CH, "https://api.example/webhooks/youtube", "sec", 432000)
    method, url, body = transport.calls[0]
    assert method == "POST" and url == inbound.HUB_URL
    from urllib.parse import parse_qs

    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert form["hub.topic"] == inbound.topic_url(CH) and form["hub.secret"] == "sec"
    assert form["hub.callback"] == "https://api.example/webhooks/youtube" and form["hub.mode"] == "subscribe"
