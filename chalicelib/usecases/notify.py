"""Keeping citizens informed: an acknowledgement with the tracking code, a note when the request reaches a
department, the resolution note, and a one-question satisfaction survey after resolution.

Driven by timeline events on the DynamoDB stream (`received`, `routed`, `status_changed` → resolved).
Each notification has a deterministic message id (request id + template), so a redelivered stream record
never sends it twice. Templates are Jinja2 data (the municipality's notifications.yaml), Turkish first, English second.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..domain import data_files
from ..domain.models import Request, TimelineEvent, utcnow
from ..domain.outbound import EMAIL, SMS, OutboundMessage, notification_route
from ..domain.ports import OutboundQueue, Repository
from .outbound import enqueue_notification

TEMPLATES = data_files.default_folder() / data_files.FILES["templates"]
LOCALES_BY_ROUTE = {EMAIL: ("tr", "en"), "web_push": ("tr", "en")}  # SMS/WhatsApp: Turkish only (cost)


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    import yaml

    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def templates() -> dict:
    return _load(str(data_files.path("templates")))


def render(key: str, locale: str = "tr", **values) -> str:
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)
    table = templates()[key]
    source = table.get(locale) or table["tr"]
    return env.from_string(source).render(**values).strip()


def render_message(key: str, route: str, **values) -> str:
    locales = LOCALES_BY_ROUTE.get(route, ("tr",))
    return "\n\n".join(render(key, loc, **values) for loc in locales)


# Signed links (`sig`) in notifications: bound to one purpose and one request, and expiring. A tracking link
# must not answer a survey (or the other way round), and an old e-mail must not work for ever.
LINK_DAYS = {"track": 180, "survey": 30}


def link_signature(key: str, purpose: str, tracking_code: str, expires: int) -> str:
    if purpose not in LINK_DAYS:
        raise ValueError(f"unknown link purpose {purpose!r}")
    message = f"ulakbel-link\x00{purpose}\x00{tracking_code}\x00{int(expires)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def signed_query(key: str, purpose: str, tracking_code: str, now: datetime) -> str:
    """`exp=<unix seconds>&sig=<hmac>` for a link of this purpose, valid LINK_DAYS[purpose] from `now`."""
    expires = int(now.timestamp()) + LINK_DAYS[purpose] * 86400
    return f"exp={expires}&sig={link_signature(key, purpose, tracking_code, expires)}"


def link_valid(key: str, purpose: str, tracking_code: str, sig: str | None, exp: str | None,
               now: datetime) -> bool:
    if not sig or not exp or not exp.isdigit() or len(exp) > 12:
        return False
    if int(exp) < now.timestamp() or int(exp) > now.timestamp() + LINK_DAYS[purpose] * 86400 + 86400:
        return False
    return hmac.compare_digest(sig.encode(), link_signature(key, purpose, tracking_code, int(exp)).encode())


def _department_name(code: str | None) -> str:
    from ..domain.departments import municipality

    m = municipality()
    for d in m.departments:
        if d.code == code:
            return d.name_tr
    return code or "ilgili birim"


def _values(request: Request, base_url: str, key: str, note: str | None = None, *,
            now: datetime | None = None) -> dict:
    from ..domain.departments import municipality

    now = now or utcnow()
    code = request.tracking_code
    survey = f"{base_url}/survey/{code}?{signed_query(key, 'survey', code, now)}"
    return {
        "municipality": municipality().name,
        "tracking_code": code,
        "department_name": _department_name(request.department),
        "note": (note or "").strip()[:300],
        "track_url": f"{base_url}/track/{code}?{signed_query(key, 'track', code, now)}",
        "survey_url": survey,  # without a score: answers 400, so templates use survey_urls
        "survey_urls": {n: f"{survey}&score={n}" for n in range(1, 6)},
        "privacy_url": f"{base_url}/kvkk",
    }


ONCE_PER_REQUEST = ("received", "survey")  # one acknowledgement, one survey; the rest once per event


def _message_id(request_id: str, key: str, event: TimelineEvent) -> str:
    """Deterministic, so a redelivered stream record is the same message; but a request resolved, reopened and
    resolved again gets its second resolution notice (the event id tells the two resolutions apart)."""
    return f"{request_id}.{key}" if key in ONCE_PER_REQUEST else f"{request_id}.{key}.{event.id}"


def notifications_for(event: TimelineEvent) -> list[str]:
    if event.type == "received":
        return ["received"]
    if event.type in ("routed", "rerouted"):  # rerouted: a voicemail's transcript moved it (issue 22)
        return ["routed"]
    if event.type == "status_changed" and event.data.get("after") == "resolved":
        return ["resolved", "survey"]
    return []


def api_app(request: Request) -> str | None:
    """The Open311 app (API key name) that filed a request, for the per-key hourly notification cap."""
    by = request.created_by or ""
    return by.removeprefix("open311:") if by.startswith("open311:") else None


def on_event(request_id: str, event: TimelineEvent, repo: Repository, queue: OutboundQueue, *, base_url: str,
             link_key: str,
             now: datetime | None = None, sms_countries: tuple[str, ...] = ("TR",),
             allow_app: Callable[[str], bool] | None = None) -> list[str]:
    """Queue the notifications this timeline event calls for; returns the template keys queued.

    SMS pumping: a public form takes any number, so SMS goes only to mobile numbers of the allowed
    countries (else e-mail if the citizen gave one, else nothing); requests filed through an Open311 API key
    get notifications only within that key's hourly budget."""
    keys = notifications_for(event)
    if not keys:
        return []
    request = repo.get(request_id, with_timeline=False)
    if request is None:
        return []
    now = now or utcnow()
    pushed = _push(repo, queue, request, keys, event, base_url, link_key, now)  # issue 22: the app's devices
    target = notification_route(request)
    if target is None:
        return pushed
    route, to = target
    if route == SMS:
        from ..domain.contact import sms_refusal

        c = request.citizen
        if sms_refusal(to, sms_countries):
            if not (c and c.email):
                return []
            route, to = EMAIL, c.email
    if (app := api_app(request)) and allow_app is not None and not allow_app(app):
        return []  # the API key's hourly budget is spent: no SMS, no e-mail (pumping either way)
    queued = []
    for key in keys:
        template = "survey_email" if key == "survey" and route == EMAIL else key
        text = render_message(template, route, **_values(request, base_url, link_key, event.data.get("note"),
                                                         now=now))
        message = OutboundMessage(
            message_id=_message_id(request.id, key, event), request_id=request.id, route=route,
            kind="survey" if key == "survey" else "notification", to=to, text=text, template=key,
            subject=render("subject", "tr", tracking_code=request.tracking_code),
            last_inbound_at=request.received_at, tracking_code=request.tracking_code, created_at=now)
        if key == "survey":
            from .survey import open_survey

            open_survey(repo, request, to, route, now)
        enqueue_notification(repo, queue, request, message)
        queued.append(key)
    return queued + pushed


def _push(repo, queue, request: Request, keys: list[str], event: TimelineEvent, base_url: str, link_key: str,
          now: datetime) -> list[str]:
    from .push import WEB_PUSH, queue_push

    def text(key: str) -> str:
        return render_message(key, WEB_PUSH, **_values(request, base_url, link_key, event.data.get("note"), now=now))

    return [f"push:{k}" for k in queue_push(repo, queue, request, keys, event, render=text, now=now)]
