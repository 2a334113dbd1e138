"""Answering citizens over HTTP: staff replies, citizen tracking, survey links, delivery callbacks."""
from __future__ import annotations

import urllib.parse

from chalice import Blueprint

from .. import container
from ..domain.errors import Forbidden, InvalidInput
from .http import endpoint, json_response, parse_json, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

bp = Blueprint(__name__)

FORM_TYPES = ["application/x-www-form-urlencoded"]


@endpoint(bp, "/requests/{request_id}/reply", ["POST"])
def reply(principal, request, request_id):
    from ..domain.outbound import ReplyCommand
    from ..usecases import outbound

    cmd = parse_json(request, ReplyCommand)
    result = outbound.reply(container.repository(), container.outbound_queue(), principal, request_id, cmd)
    return json_response(result, 202)


@endpoint(bp, "/requests/{request_id}/deliveries")
def deliveries(principal, request, request_id):
    from ..usecases import outbound
    from ..usecases.requests import visible_request

    found = visible_request(container.repository(), principal, request_id)
    return {"items": outbound.delivery_summary(found)}


def _client(request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return identity.get("sourceIp") or "unknown"


@endpoint(bp, "/track/{tracking_code}", auth=False)
def track(_principal, request, tracking_code):
    from ..usecases.tracking import track as do_track

    params = query_params(request)
    s = container.outbound_settings()
    return do_track(container.repository(), container.counters(), tracking_code,
                    phone_last4=params.get("phone_last4"), sig=params.get("sig"), client=_client(request),
                    link_key=s.link_key, exp=params.get("exp"))


@endpoint(bp, "/survey/{tracking_code}", auth=False)
def survey_link(_principal, request, tracking_code):
    """The e-mail survey link: /survey/{code}?exp=…&sig=…&score=1..5 — signed for the survey (not a tracking
    link), expiring, 1..5 or a 400 with nothing stored, only for a resolved request, answered once."""
    from ..domain.errors import NotFound
    from ..domain.identifiers import normalise_tracking_code
    from ..domain.models import utcnow
    from ..usecases.notify import link_valid
    from ..usecases.survey import answer_link, parse_link_score

    params = query_params(request)
    score = parse_link_score(params.get("score"))
    code = normalise_tracking_code(tracking_code)
    key = container.outbound_settings().link_key
    if not link_valid(key, "survey", code, params.get("sig"), params.get("exp"), utcnow()):
        raise NotFound(both("api.link_invalid"))
    stored = answer_link(container.repository(), code, score)
    return {"tracking_code": code, "satisfaction": stored.satisfaction, "message": both("api.thanks")}


@endpoint(bp, "/departments/{code}/satisfaction")
def satisfaction(principal, request, code):
    from ..usecases.survey import department_summary

    principal.require("admin", "agent", "viewer", "department")
    if principal.role == "department" and principal.department != code:
        raise Forbidden(both("api.own_department"))
    return {"department": code, **department_summary(container.repository().survey_answers(code))}


@endpoint(bp, "/webhooks/twilio/status", ["POST"], auth=False, content_types=FORM_TYPES)
def twilio_status(_principal, request):
    from ..channels.twilio.outbound import expected_signature
    from ..domain.outbound import DeliveryUpdate
    from ..domain.models import utcnow
    from ..usecases.outbound import record_delivery_updates

    raw = (request.raw_body or b"").decode("utf-8", "replace")
    params = {k: v[-1] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}
    s = container.outbound_settings()
    token = s.twilio_auth_token
    if token:
        url = f"{s.public_base_url}/webhooks/twilio/status"
        import hmac

        if not hmac.compare_digest(request.headers.get("x-twilio-signature") or "",
                                   expected_signature(token, url, params)):
            raise Forbidden(both("api.twilio_signature"))
    elif s.stage != "local":
        raise Forbidden(both("api.twilio_unconfigured"))
    sid, status = params.get("MessageSid"), params.get("MessageStatus")
    if not sid or not status:
        raise InvalidInput(both("api.twilio_status_fields"))
    error = params.get("ErrorCode")
    n = record_delivery_updates([DeliveryUpdate("twilio", sid, status, f"Twilio {error}" if error else None,
                                                utcnow())], container.repository())
    return {"recorded": n}
