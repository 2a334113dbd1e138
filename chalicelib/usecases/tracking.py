"""Citizen tracking without an account: tracking code + last four digits of the phone (or the signed link
from the acknowledgement). Shows status, department and public replies — never personal data.
Guessing is rate limited per client address: lookups, and wrong answers. Never per tracking code: anyone
who knows a code could then lock its citizen out by failing on purpose."""
from __future__ import annotations

import hmac

from ..domain.errors import InvalidInput, NotFound, RateLimited
from ..domain.identifiers import normalise_tracking_code
from ..domain.models import Request, utcnow
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

PER_CLIENT = (30, 600)  # lookups per client address per 10 minutes
PER_CLIENT_FAILURES = (10, 3600)  # wrong answers per client address per hour


def public_view(request: Request) -> dict:
    from .notify import _department_name

    from ..domain.redaction import scrub

    # a tracking link is forwarded, screenshotted, guessed at: replies are shown without personal data
    names = [n for n in ((request.citizen.name, request.citizen.handle) if request.citizen else ()) if n]
    replies = []
    for e in request.timeline:
        if e.type == "outbound" and e.visibility == "public" and e.data.get("kind") == "reply":
            replies.append({"at": e.at.isoformat(), "text": scrub(e.data.get("text"), names=names)})
    history = [{"at": e.at.isoformat(), "status": e.data.get("after")} for e in request.timeline
               if e.type == "status_changed"]
    return {
        "tracking_code": request.tracking_code,
        "status": request.status.value,
        "department": request.department,
        "department_name": _department_name(request.department) if request.department else None,
        "received_at": request.received_at.isoformat(),
        "updated_at": request.updated_at.isoformat() if request.updated_at else None,
        "resolved_at": request.resolved_at.isoformat() if request.resolved_at else None,
        "history": history,
        "public_replies": replies,
        "satisfaction_asked": request.satisfaction is None and request.status.value in ("resolved", "closed"),
    }


def track(repo, counters, code: str, *, phone_last4: str | None, sig: str | None, client: str,
          link_key: str, exp: str | None = None, now=None) -> dict:
    if not sig and not (phone_last4 and phone_last4.isdigit() and len(phone_last4) == 4):
        raise InvalidInput(both("api.phone_last4"))
    if counters.hit(f"track#client#{client}", PER_CLIENT[1]) > PER_CLIENT[0]:
        raise RateLimited(both("api.too_many_attempts"))
    if counters.peek(f"track#fail#{client}", PER_CLIENT_FAILURES[1]) >= PER_CLIENT_FAILURES[0]:
        raise RateLimited(both("api.too_many_wrong"))
    normalised = normalise_tracking_code(code)
    request = repo.get_by_tracking_code(normalised)
    ok = False
    if request is not None:
        if sig:
            from .notify import link_valid

            ok = link_valid(link_key, "track", request.tracking_code, sig, exp, now or utcnow())
        else:
            phone = request.citizen.phone if request.citizen else None
            ok = bool(phone) and hmac.compare_digest(phone[-4:], phone_last4 or "")
    if not ok:
        counters.hit(f"track#fail#{client}", PER_CLIENT_FAILURES[1])
        raise NotFound(both("api.tracking_mismatch"))
    return public_view(request)
