"""Web Push for the citizens' app: subscriptions stored per request with the citizen's consent, and the
notifications (routed, resolved) queued for them like for any channel (the outbound consumer sends them).

A subscription is accepted only for a request filed through the app (`mobile_app`), within
SUBSCRIBE_WINDOW of its filing (the app subscribes right after it has sent the request, or when a request
queued offline is finally sent), at most MAX_PER_REQUEST devices, and only with `consent: true`. So a stranger
who guesses a tracking code cannot attach a device to someone else's request after the fact.

Storage: one item per request, `PUSH#<request id>` / `SUBSCRIPTIONS`, holding a map subscription id → endpoint,
keys, consent time; written compare-and-set on its revision (existing marker methods, no new table access).
The endpoint (a device capability URL) never travels through the queue, the timeline or a log.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.models import Request, TimelineEvent, utcnow
from ..domain.outbound import OutboundMessage
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

WEB_PUSH = "web_push"
MAX_PER_REQUEST = 3
SUBSCRIBE_WINDOW = timedelta(minutes=30)
PUSH_TEMPLATES = ("routed", "resolved")  # the acknowledgement is on screen already; surveys go by SMS/e-mail


class PushKeys(BaseModel):
    model_config = ConfigDict(extra="ignore")
    p256dh: str = Field(min_length=80, max_length=100)
    auth: str = Field(min_length=16, max_length=32)


class PushSubscriptionBody(BaseModel):
    """POST /app/push/subscriptions: the browser's PushSubscription.toJSON() for one request, and consent."""

    model_config = ConfigDict(extra="forbid")
    service_request_id: str = Field(min_length=4, max_length=20)
    subscription: dict[str, Any]
    consent: bool


def subscription_id(endpoint: str) -> str:
    return "wp" + hashlib.sha256(endpoint.encode()).hexdigest()[:20]


def subscribe(repo, body: PushSubscriptionBody, *, allow_loopback: bool, now: datetime | None = None) -> dict:
    from ..channels.webpush.outbound import SubscriptionRefused, check_subscription
    from ..domain import identifiers

    now = now or utcnow()
    if body.consent is not True:
        raise InvalidInput(both("api.push_consent"))
    sub = body.subscription or {}
    keys = PushKeys.model_validate(sub.get("keys") or {})
    endpoint = str(sub.get("endpoint") or "")
    try:
        check_subscription(endpoint, keys.p256dh, keys.auth, allow_loopback=allow_loopback)
    except SubscriptionRefused as exc:
        raise InvalidInput(str(exc)) from None
    request = repo.get_by_tracking_code(identifiers.normalise_tracking_code(body.service_request_id))
    if request is None or request.channel.value != "mobile_app" or now - request.received_at > SUBSCRIBE_WINDOW \
            or request.received_at - now > timedelta(minutes=5):
        # one answer for "no such request" and "not yours to subscribe": tracking codes are not enumerable
        raise NotFound(both("api.push_not_possible"))
    sid = subscription_id(endpoint)
    for _ in range(5):
        current = repo.push_subscriptions(request.id)
        subs = dict((current or {}).get("subs") or {})
        if sid in subs:
            return {"subscription_id": sid, "status": "subscribed"}
        if len(subs) >= MAX_PER_REQUEST:
            raise Conflict(both("api.push_max", n=MAX_PER_REQUEST))
        subs[sid] = {"endpoint": endpoint, "p256dh": keys.p256dh, "auth": keys.auth,
                     "consent_at": now.isoformat(), "consent": "kvkk-aydinlatma"}
        rev = int((current or {}).get("rev") or 0)
        attrs = {"request_id": request.id, "subs": subs, "rev": rev + 1}
        if repo.swap_push_subscriptions(request.id, attrs, expected=None if current is None else {"rev": rev}):
            repo.append_events(request.id, [TimelineEvent(
                id=identifiers.new_id(), at=now, type="push_subscribed", actor="citizen",
                data={"subscription_id": sid, "consent": True})])
            return {"subscription_id": sid, "status": "subscribed"}
    raise Conflict(both("api.push_store_failed"))


def subscription_of(repo, request_id: str, sid: str) -> dict[str, Any] | None:
    item = repo.push_subscriptions(request_id)
    return ((item or {}).get("subs") or {}).get(sid)


def forget(repo, request_id: str, sid: str) -> None:
    """The push service said the subscription is gone (404/410): never call it again."""
    for _ in range(3):
        item = repo.push_subscriptions(request_id)
        subs = dict((item or {}).get("subs") or {})
        if sid not in subs:
            return
        del subs[sid]
        rev = int(item.get("rev") or 0)
        if repo.swap_push_subscriptions(request_id, {**item,
                                                 "subs": subs, "rev": rev + 1}, expected={"rev": rev}):
            return


def queue_push(repo, queue, request: Request, keys: list[str], event: TimelineEvent, *, render,
               now: datetime) -> list[str]:
    """One message per subscribed device for each push template this event calls for (deterministic ids: a
    redelivered stream record queues nothing new). Returns the templates queued."""
    from .outbound import enqueue_notification

    wanted = [k for k in keys if k in PUSH_TEMPLATES]
    if not wanted or request.channel.value != "mobile_app":
        return []
    item = repo.push_subscriptions(request.id)
    subs = sorted(((item or {}).get("subs") or {}))
    queued: list[str] = []
    for key in wanted:
        for sid in subs:
            message = OutboundMessage(
                message_id=f"{request.id}.push.{sid}.{key}.{event.id}", request_id=request.id, route=WEB_PUSH,
                kind="notification", to=sid, text=render(key), template=key, tracking_code=request.tracking_code,
                last_inbound_at=request.received_at, created_at=now)
            enqueue_notification(repo, queue, request, message)
            queued.append(key)
    return queued
