"""YouTube: WebSub (PubSubHubbub) verification + `X-Hub-Signature`, upload Atom entries, and the
`commentThreads.list` page → requests normaliser used by the scheduled poller.

Pure: no I/O. Formats: /work/shared/reference/channels.md §7 (YouTube push notifications guide,
W3C WebSub, YouTube Data API commentThreads resource).
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from ...domain.errors import InvalidInput
from ...domain.models import Channel, Citizen, IntakeCommand

SIGNATURE_HEADER = "X-Hub-Signature"
HUB_URL = "https://pubsubhubbub.appspot.com/subscribe"
ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
NS = {"atom": "http://www.w3.org/2005/Atom", "yt": "http://www.youtube.com/xml/schemas/2015",
      "at": "http://purl.org/atompub/tombstones/1.0"}


def topic_url(channel_id: str) -> str:
    return f"https://www.youtube.com/xml/feeds/videos.xml?channel_id={channel_id}"


# -- WebSub ---------------------------------------------------------------------------------------

def sign(raw_body: bytes, secret: str, algorithm: str = "sha1") -> str:
    return f"{algorithm}=" + hmac.new(secret.encode("utf-8"), raw_body, ALGORITHMS[algorithm]).hexdigest()


def verify_signature(raw_body: bytes, header: str | None, secret: str | None) -> bool:
    if not header or not secret or "=" not in header:
        return False
    algorithm, _, _given = header.strip().partition("=")
    if algorithm.lower() not in ALGORITHMS:
        return False
    return hmac.compare_digest(sign(raw_body, secret, algorithm.lower()).encode(), header.strip().lower().encode())


INTENT_WINDOW_SECONDS = 3600  # the hub verifies within seconds of our request; an hour is generous


def verify_intent(params: dict[str, str], channel_id: str | None, asked: dict | None = None,
                  now: float | None = None) -> str | None:
    """Hub's intent verification: the challenge to echo, or None (→ 404, WebSub §5.3).

    Only for our own channel's topic (no channel configured: nothing), and only for a request we made: `asked`
    is the intent we recorded ({"mode", "at"} in Unix seconds) before asking the hub. Anyone can ask the hub to
    (un)subscribe our callback; without this check a third party could cancel our subscription, or replace
    it with one whose hub.secret they chose."""
    import time

    mode = params.get("hub.mode")
    topic = params.get("hub.topic") or ""
    challenge = params.get("hub.challenge")
    if mode not in ("subscribe", "unsubscribe") or not challenge or not channel_id:
        return None
    if topic != topic_url(channel_id):
        return None
    if not asked or asked.get("mode") != mode:
        return None
    age = (now if now is not None else time.time()) - float(asked.get("at") or 0)
    if not 0 <= age <= INTENT_WINDOW_SECONDS:
        return None
    return challenge


@dataclass(frozen=True)
class VideoEntry:
    video_id: str
    channel_id: str | None
    title: str | None
    published: datetime | None
    updated: datetime | None
    deleted: bool = False


def _iso(value: Any) -> datetime | None:
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    # Atom timestamps may carry nanoseconds (…24.552394234+00:00): trim the fraction to microseconds.
    if "." in text:
        head, _, rest = text.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        tz = rest[len(digits):]
        text = f"{head}.{digits[:6]}{tz}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_feed(raw_body: bytes) -> list[VideoEntry]:
    """Atom notification → uploads/updates and deletions. Malformed XML → InvalidInput (400)."""
    if b"<!DOCTYPE" in raw_body or b"<!ENTITY" in raw_body:
        raise InvalidInput("DTD içeren XML kabul edilmez / XML with a DTD is not accepted")
    from defusedxml.ElementTree import ParseError, fromstring  # no entity expansion, no external resources

    try:
        root = fromstring(raw_body)
    except ParseError:
        raise InvalidInput("Atom XML okunamadı / malformed Atom XML") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise InvalidInput("Atom <feed> bekleniyordu / expected an Atom <feed>")
    out = []
    for entry in root.findall("atom:entry", NS):
        video_id = (entry.findtext("yt:videoId", None, NS) or "").strip()
        if not video_id:
            continue
        out.append(VideoEntry(video_id=video_id, channel_id=(entry.findtext("yt:channelId", None, NS) or None),
                              title=entry.findtext("atom:title", None, NS),
                              published=_iso(entry.findtext("atom:published", None, NS)),
                              updated=_iso(entry.findtext("atom:updated", None, NS))))
    for gone in root.findall("at:deleted-entry", NS):
        ref = gone.get("ref") or ""
        if ref.startswith("yt:video:"):
            out.append(VideoEntry(video_id=ref.removeprefix("yt:video:"), channel_id=None, title=None,
                                  published=None, updated=_iso(gone.get("when")), deleted=True))
    return out


# -- commentThreads.list polling ------------------------------------------------------------------

@dataclass
class CommentPage:
    commands: list[IntakeCommand] = field(default_factory=list)
    newest: datetime | None = None  # highest publishedAt seen on this page
    reached_mark: bool = False  # an item at/below the high-water mark was seen: stop paging
    next_page_token: str | None = None
    ignored: int = 0


def _handle(channel_url: str | None) -> str | None:
    if channel_url and "/@" in channel_url:
        return "@" + channel_url.rsplit("/@", 1)[1].strip("/")
    return None


def parse_comment_threads(response: Any, own_channel_id: str | None, since: datetime | None) -> CommentPage:
    """One `youtube#commentThreadListResponse` page (order=time, newest first) → new top-level comments.

    A response of the wrong shape anywhere inside is a clean InvalidInput."""
    try:
        return _parse_comment_threads(response, own_channel_id, since)
    except (AttributeError, TypeError, KeyError):
        raise InvalidInput("commentThreads yanıtı beklenen biçimde değil / unexpected commentThreads response") from None


def _parse_comment_threads(response: Any, own_channel_id: str | None, since: datetime | None) -> CommentPage:
    if not isinstance(response, dict) or response.get("kind") != "youtube#commentThreadListResponse":
        raise InvalidInput("commentThreads yanıtı beklenen biçimde değil / unexpected commentThreads response")
    page = CommentPage(next_page_token=response.get("nextPageToken") or None)
    for item in response.get("items") or []:
        top = ((item or {}).get("snippet") or {}).get("topLevelComment") or {}
        snip = top.get("snippet") or {}
        published = _iso(snip.get("publishedAt"))
        if published and (page.newest is None or published > page.newest):
            page.newest = published
        if since and published and published <= since:
            page.reached_mark = True
            continue
        author = ((snip.get("authorChannelId") or {}).get("value")) if isinstance(snip.get("authorChannelId"),
                                                                                  dict) else None
        if not top.get("id") or (own_channel_id and author == own_channel_id):
            page.ignored += 1  # the municipality's own comments
            continue
        text = (snip.get("textOriginal") or snip.get("textDisplay") or "").strip()
        try:
            page.commands.append(IntakeCommand(
                channel=Channel.youtube, text=text, channel_ref=str(top["id"]), received_at=published,
                citizen=Citizen(name=snip.get("authorDisplayName") or None,
                                handle=_handle(snip.get("authorChannelUrl")), platform_id=author),
                in_reply_to=snip.get("videoId") or (item.get("snippet") or {}).get("videoId")))
        except ValidationError:
            page.ignored += 1
    return page
