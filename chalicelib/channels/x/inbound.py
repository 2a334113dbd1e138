"""X (Twitter) webhooks: CRC, `x-twitter-webhooks-signature`, Account Activity (AAA) and X Activity (XAA).

Pure: no I/O. Formats: /work/shared/reference/channels.md §6 (docs.x.com webhooks quickstart,
Account Activity data objects, X Activity API event payloads).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from ...domain.errors import InvalidInput
from ...domain.models import Attachment, Channel, Citizen, IntakeCommand, Location

SIGNATURE_HEADER = "x-twitter-webhooks-signature"

# XAA event types that carry something a citizen wrote to the municipality. The DM names are not
# confirmed by X's docs yet (reference §20.2), so every `dm.*`/`chat.*` "received/create" name is taken.
XAA_POST_TYPES = {"post.create", "post.mention", "post.reply"}
XAA_DM_SUFFIXES = ("received", "create", "message_create", "receive")


@dataclass
class ParsedBatch:
    commands: list[IntakeCommand] = field(default_factory=list)
    delivery_updates: list = field(default_factory=list)  # meta.inbound.DeliveryUpdate: DMs we sent were read
    ignored: int = 0


def _hmac_b64(secret: str, message: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()).decode()


# X's CRC tokens are opaque ids (its docs' sample is a UUID): a bounded run of URL-safe/base64 characters.
# X signs webhook bodies with the same HMAC and key as the CRC answer and offers no domain separation, so the
# CRC endpoint would sign any string an attacker sends, including a webhook body. A JSON object needs `{`,
# quotes and usually spaces: no string of this alphabet can ever be a body that `parse` accepts.
CRC_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{1,128}")


def is_crc_token(value: str | None) -> bool:
    return bool(value) and CRC_TOKEN.fullmatch(value) is not None


def crc_response(crc_token: str, consumer_secret: str) -> dict[str, str]:
    """GET CRC answer: {"response_token": "sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}.
    Only for tokens shaped like X's (`is_crc_token`): anything else would make the answer a signing oracle."""
    if not is_crc_token(crc_token):
        raise InvalidInput("'crc_token' X'in CRC biçiminde değil / 'crc_token' is not an X CRC token")
    return {"response_token": _hmac_b64(consumer_secret, crc_token.encode("utf-8"))}


def sign(raw_body: bytes, consumer_secret: str) -> str:
    return _hmac_b64(consumer_secret, raw_body)


def verify_signature(raw_body: bytes, header: str | None, consumer_secret: str | None) -> bool:
    """Whole header (prefix included) compared in constant time; a missing header fails."""
    if not header or not consumer_secret:
        return False
    return hmac.compare_digest(sign(raw_body, consumer_secret).encode(), header.strip().encode())


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _ms(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value) / 1000.0, tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _v1_time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%a %b %d %H:%M:%S %z %Y").astimezone(timezone.utc)
    except ValueError:
        return None


def _iso(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _build(batch: ParsedBatch, **kw: Any) -> None:
    try:
        batch.commands.append(IntakeCommand(channel=Channel.x, **kw))
    except ValidationError:
        batch.ignored += 1


def _media(entities: Any) -> list[Attachment]:
    out = []
    for m in (entities or {}).get("media") or [] if isinstance(entities, dict) else []:
        if isinstance(m, dict):
            out.append(Attachment(kind="video" if m.get("type") in ("video", "animated_gif") else "image",
                                  url=_str(m.get("media_url_https") or m.get("media_url")),
                                  provider_id=_str(m.get("id_str") or m.get("media_key"))))
    return out


# -- Account Activity API (v1.1 objects) --------------------------------------------------------

def _aaa_tweet(tweet: dict, me: str | None, batch: ParsedBatch) -> None:
    user = tweet.get("user") or {}
    author = _str(user.get("id_str") or user.get("id"))
    mentions = {_str(m.get("id_str") or m.get("id")) for m in (tweet.get("entities") or {}).get("user_mentions") or []
                if isinstance(m, dict)}
    addressed = me is None or me in mentions or _str(tweet.get("in_reply_to_user_id_str")) == me
    if not author or author == me or tweet.get("retweeted_status") or not addressed:
        batch.ignored += 1  # our own tweets, retweets, tweets that do not address us
        return
    extended = tweet.get("extended_tweet") or {}
    text = extended.get("full_text") or tweet.get("full_text") or tweet.get("text")
    media = _media(tweet.get("extended_entities") or extended.get("extended_entities") or tweet.get("entities"))
    location = None
    coords = (tweet.get("coordinates") or {}).get("coordinates") if isinstance(tweet.get("coordinates"), dict) else None
    if isinstance(coords, list) and len(coords) == 2:
        location = Location(long=coords[0], lat=coords[1])  # GeoJSON order: [long, lat]
    _build(batch, text=html.unescape(text or "").strip() or "[Gönderi / post]",
           channel_ref=_str(tweet.get("id_str") or tweet.get("id")),
           received_at=_ms(tweet.get("timestamp_ms")) or _v1_time(tweet.get("created_at")),
           citizen=Citizen(name=_str(user.get("name")), handle=_str(user.get("screen_name")), platform_id=author),
           location=location, attachments=media, in_reply_to=_str(tweet.get("in_reply_to_status_id_str")))


def _aaa_dm(event: dict, me: str | None, users: dict, batch: ParsedBatch) -> None:
    create = event.get("message_create") or {}
    sender = _str(create.get("sender_id"))
    if event.get("type") != "message_create" or not sender or sender == me:
        batch.ignored += 1  # our own sends (echoes), typing/read events
        return
    data = create.get("message_data") or {}
    attachments = []
    media = (data.get("attachment") or {}).get("media") if isinstance(data.get("attachment"), dict) else None
    if isinstance(media, dict):
        attachments = _media({"media": [media]})
    user = users.get(sender) or {}
    text = html.unescape(data.get("text") or "").strip() or (
        "[Fotoğraf / photo]" if attachments else "")
    initiated = create.get("initiated_via") or {}
    _build(batch, text=text, channel_ref=_str(event.get("id")), received_at=_ms(event.get("created_timestamp")),
           citizen=Citizen(name=_str(user.get("name")), handle=_str(user.get("screen_name")), platform_id=sender),
           attachments=attachments, in_reply_to=_str(initiated.get("tweet_id")))


# -- X Activity API envelope ------------------------------------------------------------------------

def _xaa(data: dict, batch: ParsedBatch) -> None:
    event_type = str(data.get("event_type") or "")
    me = _str((data.get("filter") or {}).get("user_id"))
    payload = data.get("payload") or {}
    includes = data.get("includes") or {}
    users = {str(u.get("id")): u for u in includes.get("users") or [] if isinstance(u, dict)}
    if not isinstance(payload, dict):
        batch.ignored += 1
        return
    if event_type in XAA_POST_TYPES:
        author = _str(payload.get("author_id"))
        if not author or author == me:
            batch.ignored += 1  # the municipality's own posts
            return
        replied = next((r.get("id") for r in payload.get("referenced_tweets") or []
                        if isinstance(r, dict) and r.get("type") == "replied_to"), None)
        user = users.get(author) or {}
        _build(batch, text=html.unescape(payload.get("text") or "").strip(), channel_ref=_str(payload.get("id")),
               received_at=_iso(payload.get("created_at")),
               citizen=Citizen(name=_str(user.get("name")), handle=_str(user.get("username")), platform_id=author),
               in_reply_to=_str(replied))
    elif event_type.split(".")[0] in ("dm", "chat") and event_type.endswith(XAA_DM_SUFFIXES):
        sender = _str(payload.get("sender_id"))
        if not sender or sender == me:
            batch.ignored += 1
            return
        user = users.get(sender) or {}
        _build(batch, text=html.unescape(payload.get("text") or "").strip(), channel_ref=_str(payload.get("id")),
               received_at=_iso(payload.get("created_at")),
               citizen=Citizen(name=_str(user.get("name")), handle=_str(user.get("username")), platform_id=sender))
    else:
        batch.ignored += 1  # likes, follows, profile updates, deletes …


def parse(payload: Any) -> ParsedBatch:
    """A webhook body → commands; a body of the wrong shape anywhere inside is a clean InvalidInput (4xx)."""
    try:
        return _parse(payload)
    except (AttributeError, TypeError, KeyError):
        raise InvalidInput("X webhook gövdesi beklenen biçimde değil / malformed X webhook payload") from None


def _parse(payload: Any) -> ParsedBatch:
    if not isinstance(payload, dict):
        raise InvalidInput("X webhook gövdesi bir JSON nesnesi olmalı / X webhook body must be a JSON object")
    batch = ParsedBatch()
    if isinstance(payload.get("data"), dict) and "event_type" in payload["data"]:
        _xaa(payload["data"], batch)
        return batch
    me = _str(payload.get("for_user_id"))
    users = payload.get("users") if isinstance(payload.get("users"), dict) else {}
    known = False
    for tweet in payload.get("tweet_create_events") or []:
        known = True
        if isinstance(tweet, dict):
            _aaa_tweet(tweet, me, batch)
    for event in payload.get("direct_message_events") or []:
        known = True
        if isinstance(event, dict):
            _aaa_dm(event, me, users, batch)
    for event in payload.get("direct_message_mark_read_events") or []:
        known = True
        if isinstance(event, dict) and event.get("last_read_event_id") and _str(event.get("sender_id")) != me:
            from ...domain.outbound import DeliveryUpdate

            batch.delivery_updates.append(DeliveryUpdate(
                platform="x", platform_message_id=str(event["last_read_event_id"]), status="read",
                at=_ms(event.get("created_timestamp")), recipient_id=_str(event.get("sender_id"))))
        else:
            batch.ignored += 1
    if not known:
        if not me:
            raise InvalidInput("Tanınmayan X webhook biçimi / unrecognised X webhook payload")
        batch.ignored += 1  # favorite/follow/block/typing/read/delete events
    return batch
