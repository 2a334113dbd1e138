"""Staff re-classification of a request (issue 18): category and/or kind within its department, stored as a
correction the classifier learns from. Another department's category is a forward, not a re-categorisation."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..auth import Principal
from ..domain import identifiers
from ..domain.errors import InvalidInput, InvalidTransition
from ..domain.models import Kind, Request, TimelineEvent, utcnow
from ..domain.ports import Clock, Repository
from .corrections import labels_of, record_correction
from .requests import visible_request
from .workflow import _check_version, _require_manager, _require_open, _save
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)


class ReclassifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: str | None = Field(default=None, min_length=1, max_length=64)
    kind: Kind | None = None
    note: str | None = Field(default=None, max_length=5000)
    version: int = Field(ge=1)

    @model_validator(mode="after")
    def _something(self) -> "ReclassifyBody":
        if self.category is None and self.kind is None:
            raise ValueError(both("api.category_or_kind"))
        return self


def reclassify(repo: Repository, principal: Principal, request_id: str, body: ReclassifyBody, *,
               clock: Clock = utcnow) -> Request:
    """Staff set the category and/or kind of an open request. A category of another department is a
    forward (POST .../forward), not a re-categorisation: refused with 400."""
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
            raise InvalidInput(both("api.unknown_category", code=body.category)) from None
        if request.department and cat.department != request.department:
            raise InvalidInput(both("api.category_elsewhere"))
        updates["category"] = cat.code
    if body.kind is not None:
        updates["kind"] = body.kind
    before = labels_of(request)
    after = {**before, **{k: (v.value if isinstance(v, Kind) else v) for k, v in updates.items()}}
    if after == before:
        raise InvalidTransition(both("api.category_unchanged"))
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

