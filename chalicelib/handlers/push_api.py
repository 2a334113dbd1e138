"""Web Push for the citizens' app (issue 22): the VAPID public key and the subscription of a device to a request.

Thin: validate, one use-case call. Public (no staff token): the app calls it right after filing a request.
"""
from __future__ import annotations

from chalice import Blueprint

from .. import container
from ..domain.errors import ConfigurationError
from .http import endpoint
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)


@endpoint(bp, "/app/push/key", ["GET"], auth=False, rate_limit="open311_read")
def push_key(_principal, request):
    """The applicationServerKey for PushManager.subscribe (the public half of VAPID_PRIVATE_KEY)."""
    from ..channels.webpush.outbound import vapid_public_key

    private = container.settings().vapid_private_key
    if not private:
        raise ConfigurationError(both("api.push_unconfigured"))
    return {"public_key": vapid_public_key(private)}


@endpoint(bp, "/app/push/subscriptions", ["POST"], auth=False, max_body=8192, rate_limit="open311_read",
          body="chalicelib.usecases.push:PushSubscriptionBody")
def push_subscribe(_principal, request):
    from pydantic import ValidationError

    from ..domain.errors import InvalidInput
    from ..usecases import push

    try:
        body = push.PushSubscriptionBody.model_validate(request.json_body or {})
    except ValidationError as exc:
        raise InvalidInput(both("api.push_subscription", reason="; ".join(e["msg"] for e in exc.errors()[:3]))) from None
    return push.subscribe(container.repository(), body, allow_loopback=container.settings().local)
