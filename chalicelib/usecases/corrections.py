"""Staff corrections teach the classifier (issue 18): every forward, re-categorisation or kind change made by
staff is stored as a labelled example — the text with personal data scrubbed, the old and new labels, who and
when — and `ulakbel train --from-corrections` learns from them.

Also the staff re-classification itself (category and/or kind of a request, within its department).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..auth import Principal
from ..domain import identifiers
from ..domain.errors import InvalidInput, InvalidTransition
from ..domain.models import Kind, Request, TimelineEvent, utcnow
from ..domain.ports import Clock, CorrectionStore, Repository
from .requests import visible_request


def labels_of(request: Request) -> dict[str, Any]:
    """The labels a request carries now (what the classifier or earlier staff decided)."""
    c = request.classification
    return {"department": request.department or (c.department if c else None),
            "category": request.category or (c.category if c else None),
            "kind": request.kind.value if request.kind else (c.kind.value if c and c.kind else None)}


def correction_for(request: Request, new: dict[str, Any], *, actor: str, at: datetime, action: str,
                   event_id: str) -> dict[str, Any] | None:
    """The labelled example for one staff change, or None when nothing the classifier decides changed.
    Pure: the text is scrubbed of TC kimlik, phones, e-mails, IBANs, plates, door numbers and the citizen's
    names before it is stored."""
    from ..domain.redaction import scrub

    old = labels_of(request)
    changed = {k: v for k, v in new.items() if v is not None and old.get(k) != v}
    if not changed:
        return None
    citizen = request.citizen
    names = [n for n in ((citizen.name, citizen.handle) if citizen else ()) if n]
    c = request.classification
    return {
        "event_id": event_id, "request_id": request.id, "action": action, "actor": actor, "at": at.isoformat(),
        "text": scrub(request.text, names=names) or "",
        "old": old, "new": {**old, **changed}, "changed": sorted(changed),
        "model_version": getattr(c, "model_version", None) if c else None,
        "channel": request.channel.value,
    }


def record_correction(repo: CorrectionStore, request: Request, new: dict[str, Any], *, actor: str, at: datetime, action: str,
                      event_id: str) -> bool:
    """Store the example; a failure to store it never undoes the staff action (counted and logged)."""
    correction = correction_for(request, new, actor=actor, at=at, action=action, event_id=event_id)
    if correction is None:
        return False
    try:
        return bool(repo.record_correction(correction))
    except Exception:  # noqa: BLE001 - the forward/re-classification stands; the example is lost, visibly
        from ..observability import count, logger

        count("CorrectionNotStored")
        logger().warning("staff correction not stored", extra={"request_id": request.id, "action": action})
        return False


class ReclassifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: str | None = Field(default=None, min_length=1, max_length=64)
    kind: Kind | None = None
    note: str | None = Field(default=None, max_length=5000)
    version: int = Field(ge=1)

    @model_validator(mode="after")
    def _something(self) -> "ReclassifyBody":
        if self.category is None and self.kind is None:
            raise ValueError("'category' ya da 'kind' gerekli / 'category' or 'kind' is required")
        return self


def reclassify(repo: Repository, principal: Principal, request_id: str, body: ReclassifyBody, *,
               clock: Clock = utcnow) -> Request:
    """Staff set the category and/or kind of an open request. A category of another department is a
    forward (POST .../forward), not a re-categorisation: refused with 400."""
    from .workflow import _check_version, _require_manager, _require_open, _save

    request = visible_request(repo, principal, request_id)
    _require_manager(principal)
    _check_version(request, body.version, principal)
    _require_open(request)
    updates: dict[str, Any] = {}
    if body.category is not None:
        from ..understanding import category as category_of

        try:
            cat = category_of(body.category)
        except KeyError:
            raise InvalidInput(f"Böyle bir kategori yok: {body.category} / unknown category") from None
        if request.department and cat.department != request.department:
            raise InvalidInput("Bu kategori başka bir birimin; talebi iletin / this category belongs to another "
                               "department: forward the request")
        updates["category"] = cat.code
    if body.kind is not None:
        updates["kind"] = body.kind
    before = labels_of(request)
    after = {**before, **{k: (v.value if isinstance(v, Kind) else v) for k, v in updates.items()}}
    if after == before:
        raise InvalidTransition("Kategori ve tür zaten böyle / category and kind are already so")
    now = clock()
    updated = request.model_copy(update={**updates, "version": request.version + 1, "updated_at": now,
                                         "timeline": []})
    event = TimelineEvent(id=identifiers.new_id(), at=now, type="reclassified", actor=principal.actor,
                          visibility="internal",
                          data={"before": {k: before[k] for k in ("category", "kind")},
                                "after": {k: after[k] for k in ("category", "kind")},
                                **({"note": body.note} if body.note else {})})
    saved = _save(repo, updated, request.version, [event], principal)
    record_correction(repo, request, {k: after[k] for k in ("category", "kind")}, actor=principal.actor, at=now,
                      action="reclassify", event_id=event.id)
    return saved

