"""Social webhooks (Meta: Facebook/Messenger/Instagram/WhatsApp, X, YouTube) and the YouTube schedules.

Thin: verify the signature over the RAW body → normalise (chalicelib/channels/*/inbound.py) →
one intake per message → 200. Redeliveries are no-ops through intake's channel_ref dedupe.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from chalice import Blueprint, Rate, Response

from .. import container
from ..domain.errors import InvalidInput, Unauthenticated
from ..observability import count, logger
from .http import endpoint, json_response, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)

JSON_TYPES = ["application/json"]
ATOM_TYPES = ["application/atom+xml", "application/xml", "text/xml"]
WEBSUB_LEASE_SECONDS = 5 * 24 * 3600


def _secret(name: str) -> str | None:
    return container.secret(name)


def _text(body: str, status: int = 200) -> Response:
    return Response(body=body, status_code=status,
                    headers={"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"})


def _forbidden() -> Response:
    return json_response({"error": {"code": "forbidden",
                                    "message": both("api.verification_failed")}}, 403)


def _json_body(raw: bytes | None) -> Any:
    if not raw or not raw.strip():
        raise InvalidInput(both("api.body_empty"))
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(both("api.malformed_json")) from None


def _bad_signature(platform: str) -> Unauthenticated:
    count("WebhookSignatureRejected", platform=platform)
    return Unauthenticated(both("api.signature"))


def _signed_body(request, inbound, secret, platform: str) -> bytes:
    """The raw body, once the platform's signature over it holds (401 otherwise)."""
    raw = request.raw_body or b""
    if not inbound.verify_signature(raw, request.headers.get(inbound.SIGNATURE_HEADER), secret):
        raise _bad_signature(platform)
    return raw


def _take_in(platform: str, commands: Iterable, ignored: int) -> dict[str, int]:
    from ..usecases.intake import intake

    repo = container.repository()
    received = created = 0
    for cmd in commands:
        _, was_created = intake(cmd, repo)
        received += 1
        created += int(was_created)
    logger().info("social webhook", extra={"platform": platform, "messages": received, "new_requests": created,
                                           "ignored_items": ignored})
    if created:
        count("SocialRequestsCreated", platform=platform)
    return {"received": received, "created": created, "ignored": ignored}


def record_delivery_updates(updates: list) -> None:
    """Delivery receipts (WhatsApp statuses[], Messenger/Instagram delivery, X read) update outbound events."""
    if updates:
        from ..usecases import outbound

        logger().info("delivery updates", extra={"count": len(updates),
                                                 "platforms": sorted({u.platform for u in updates})})
        outbound.record_delivery_updates(updates, container.repository())


# -- Meta ------------------------------------------------------------------------------------------

@endpoint(bp, "/webhooks/meta", ["GET"], auth=False)
def meta_verify(_principal, request):
    from ..channels.meta.inbound import verify_subscription

    challenge = verify_subscription(query_params(request), _secret("META_VERIFY_TOKEN"))
    return _text(challenge) if challenge is not None else _forbidden()


@endpoint(bp, "/webhooks/meta", ["POST"], auth=False, content_types=JSON_TYPES)
def meta_webhook(_principal, request):
    from ..channels.meta import inbound

    raw = _signed_body(request, inbound, (_secret("META_APP_SECRET"), _secret("INSTAGRAM_APP_SECRET")), "meta")
    batch = inbound.parse(_json_body(raw))
    record_delivery_updates(batch.delivery_updates)
    result = _take_in("meta", batch.commands, batch.ignored)
    return {**result, "delivery_updates": len(batch.delivery_updates)}


# -- X ---------------------------------------------------------------------------------------------

@endpoint(bp, "/webhooks/x", ["GET"], auth=False, rate_limit="crc")
def x_crc(_principal, request):
    """X's CRC check. Only X-shaped tokens are answered and the endpoint has its own tight rate limit:
    the answer is the same HMAC as a webhook signature (see channels/x/inbound.py CRC_TOKEN)."""
    from ..channels.x.inbound import crc_response, is_crc_token

    token = query_params(request).get("crc_token")
    if not token:
        raise InvalidInput(both("api.crc_missing"))
    if not is_crc_token(token):
        count("XCrcRejected", platform="x")
        raise InvalidInput(both("api.crc_format"))
    secret = _secret("X_CONSUMER_SECRET")
    if not secret:
        logger().warning("X_CONSUMER_SECRET not configured")
        return _forbidden()
    return crc_response(token, secret)


@endpoint(bp, "/webhooks/x", ["POST"], auth=False, content_types=JSON_TYPES)
def x_webhook(_principal, request):
    from ..channels.x import inbound

    raw = _signed_body(request, inbound, _secret("X_CONSUMER_SECRET"), "x")
    batch = inbound.parse(_json_body(raw))
    record_delivery_updates(batch.delivery_updates)
    return _take_in("x", batch.commands, batch.ignored)


# -- YouTube ---------------------------------------------------------------------------------------

def youtube_state():
    return container.youtube_state()


def youtube_api():
    from ..channels.youtube.api import YouTubeApi

    return YouTubeApi(_secret("YOUTUBE_API_KEY"))


def youtube_channel_id() -> str | None:
    """Our channel. Outside the local/test stages a missing YOUTUBE_CHANNEL_ID is a configuration error (503),
    never "accept any channel"; locally the YouTube door then simply accepts nothing."""
    from ..domain.errors import TemporarilyUnavailable

    channel_id = _secret("YOUTUBE_CHANNEL_ID")
    if not channel_id and container.settings().stage not in ("local", "test"):
        logger().error("YOUTUBE_CHANNEL_ID is not configured: the YouTube door refuses everything")
        raise TemporarilyUnavailable(both("api.youtube_unconfigured"))
    return channel_id


def _scheduled_channel_id() -> str | None:
    """The schedules skip without a channel id; outside local/test that is logged as a configuration error
    (the webhook itself answers 503), as on a fresh deployment before the operator filled the secret in."""
    channel_id = _secret("YOUTUBE_CHANNEL_ID")
    if not channel_id and container.settings().stage not in ("local", "test"):
        logger().error("YOUTUBE_CHANNEL_ID is not configured: YouTube schedules skipped")
    return channel_id


@endpoint(bp, "/webhooks/youtube", ["GET"], auth=False)
def youtube_verify(_principal, request):
    from ..channels.youtube.inbound import topic_url, verify_intent

    channel_id = youtube_channel_id()
    asked = youtube_state().get_intent(topic_url(channel_id)) if channel_id else None
    challenge = verify_intent(query_params(request), channel_id, asked)
    if challenge is None:
        return json_response({"error": {"code": "not_found",
                                        "message": both("api.unknown_subscription")}}, 404)
    return _text(challenge)


@endpoint(bp, "/webhooks/youtube", ["POST"], auth=False, content_types=ATOM_TYPES)
def youtube_webhook(_principal, request):
    from ..channels.youtube import inbound

    raw = _signed_body(request, inbound, _secret("YOUTUBE_WEBSUB_SECRET"), "youtube")
    channel_id = youtube_channel_id()
    entries = [v for v in inbound.parse_feed(raw) if channel_id and v.channel_id == channel_id]
    state = youtube_state()
    for video in entries:
        state.record_video(video.video_id, video.channel_id, video.title, video.published, video.deleted)
    logger().info("youtube push", extra={"videos": len(entries)})
    return {"videos": len(entries)}


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="youtube_poll_comments")
def youtube_poll_comments(event):
    from ..usecases.youtube_comments import poll_comments

    channel_id = _scheduled_channel_id()
    if not channel_id or not _secret("YOUTUBE_API_KEY"):
        return {"skipped": "YOUTUBE_CHANNEL_ID / YOUTUBE_API_KEY not configured"}
    result = poll_comments(youtube_api(), youtube_state(), container.repository(), channel_id)
    logger().info("youtube comments polled", extra={f"youtube_{k}": v for k, v in result.items()})
    return result


@bp.schedule(Rate(1, unit=Rate.DAYS), name="youtube_renew_websub")
def youtube_renew_websub(event):
    import time

    from ..channels.youtube.inbound import topic_url

    channel_id = _scheduled_channel_id()
    if not channel_id:
        return {"skipped": "YOUTUBE_CHANNEL_ID not configured"}
    callback = container.settings().public_base_url + "/webhooks/youtube"
    youtube_state().record_intent(topic_url(channel_id), "subscribe", int(time.time()))  # before the hub asks
    youtube_api().subscribe(channel_id, callback, _secret("YOUTUBE_WEBSUB_SECRET"), WEBSUB_LEASE_SECONDS)
    return {"subscribed": channel_id}
