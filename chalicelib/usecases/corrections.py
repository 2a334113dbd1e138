"""Staff corrections teach the classifier (issue 18): every forward, re-categorisation or kind change made by
staff is stored as a labelled example — the text with personal data scrubbed, the old and new labels, who and
when — and `ulakbel train --from-corrections` learns from them.
The staff re-classification itself (category and/or kind) is usecases/reclassify.py.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.models import Request
from ..domain.ports import CorrectionStore


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
