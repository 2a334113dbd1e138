"""The routing decision: which queue a classified request goes to and by when it is due.

Pure policy over the understanding of the text (`chalicelib.understanding`) and the municipality's data:
no AWS, no use cases. `chalicelib.usecases.route` applies the decision (task, status, timeline).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from ..domain.departments import municipality
from ..domain.models import Classification, Request

DEFAULT_SLA_HOURS = 72


def task_id_for(request: Request, decision_no: int = 1) -> str:
    return f"{request.id}-{decision_no}"


def decide(request: Request, classify: Callable[..., Classification]) -> Classification:
    loc = request.location
    raw = classify(
        request.text,
        address=loc.address if loc else None,
        lat=loc.lat if loc else None,
        long=loc.long if loc else None,
    )
    result = raw if isinstance(raw, Classification) else Classification.model_validate(raw.to_dict())
    if request.category:  # preset by the channel (e.g. Open311 service_code): the citizen chose the subject
        from ..understanding import category as category_of

        try:
            chosen = category_of(request.category)
        except KeyError:
            chosen = None
        if chosen is not None:
            result = result.model_copy(update={
                "category": request.category, "department": chosen.department,
                "needs_triage": result.outside_municipality,  # chosen subject, but maybe not our district
                "explanation": f"kategori vatandaş tarafından seçildi: {request.category}; {result.explanation}"})
    if request.department:  # preset by staff or a channel with a fixed owner (e.g. Şeffaf Oda -> mayor's office)
        preset = request.department
        owner = municipality().channel_department(request.channel.value)
        if owner and result.department and not result.needs_triage and result.department != owner:
            preset = result.department  # the subject clearly belongs elsewhere
        result = result.model_copy(update={"department": preset, "needs_triage": False})
    if result.department and result.department not in municipality().codes:
        result = result.model_copy(update={"needs_triage": True,
                                           "explanation": f"{result.explanation}; bilinmeyen birim"})
    return result



def queue_for(decision: Classification) -> str:
    """The department's queue, or the triage queue when the understanding is not sure enough."""
    return municipality().triage_queue if decision.needs_triage else decision.department


def due_for(request: Request, sla_hours: float) -> "datetime":
    """Category SLA on the working-day calendar, the CİMER/e-Devlet legal deadline, or a given due_at: the sooner."""
    from .deadlines import compute_due, load_calendar

    try:
        due = compute_due(request.received_at, sla_hours, request.channel.value, load_calendar(),
                          given=request.due_at)
    except Exception:  # calendar data unreadable: never block routing, fall back to plain hours
        due = None
    if due is None:
        due = request.received_at + timedelta(hours=sla_hours)
        if request.due_at is not None:
            due = min(due, request.due_at)
    return due
