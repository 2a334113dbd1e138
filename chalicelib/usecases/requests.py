"""Reading and changing requests as staff, always within what the caller's role may see."""
from __future__ import annotations

from ..auth import Principal
from ..domain import identifiers
from ..domain.contact import mask_email, mask_name, mask_phone, mask_tc
from ..domain.errors import Conflict, InvalidTransition, NotFound
from ..domain.models import Request, Status, StatusChange, TimelineEvent, can_transition, utcnow
from ..domain.ports import Page, Repository, RequestQuery
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)



def visible_request(repo: Repository, principal: Principal, request_id: str, *,
                    with_timeline: bool = True) -> Request:
    """404 — never 403 — for a request outside the caller's department, so its existence is not leaked."""
    request = repo.get(request_id, with_timeline=with_timeline)
    if request is None or not principal.can_see_department(request.department):
        raise NotFound(both("api.request_not_found"))
    return request


TWILIO_RECORDINGS = "https://api.twilio.com/2010-04-01/Accounts/"


def present(request: Request, principal: Principal) -> dict:
    """The API view of a request; viewers (mayor's office dashboards) get masked contact data."""
    doc = request.model_dump(mode="json")
    for attachment in doc.get("attachments") or []:
        # A Twilio voicemail is ours in S3 and deleted at Twilio: staff listen through our signed link instead.
        if attachment.get("kind") == "audio" and str(attachment.get("url") or "").startswith(TWILIO_RECORDINGS):
            attachment["url"] = f"/requests/{request.id}/voicemail"
    if principal.role == "viewer" and doc.get("citizen"):
        c = doc["citizen"]
        c["name"], c["phone"], c["email"] = mask_name(c.get("name")), mask_phone(c.get("phone")), \
            mask_email(c.get("email"))
        c["tc_kimlik_no"] = mask_tc(c.get("tc_kimlik_no"))
    elif doc.get("citizen"):  # KVKK access log: who read unmasked personal data of which request, when
        from .privacy import record_access

        record_access(principal, [request.id])
    return doc


def list_requests(repo: Repository, principal: Principal, query: RequestQuery) -> Page:
    if principal.role == "department":
        if query.department and query.department != principal.department:
            return Page(items=[], next=None)
        query.department = principal.department
    return repo.query(query)


def change_status(repo: Repository, principal: Principal, request_id: str, change: StatusChange, *,
                  now=None) -> Request:
    principal.require("admin", "agent", "department")
    request = visible_request(repo, principal, request_id, with_timeline=False)
    if change.version != request.version:
        raise Conflict(
            both("api.version_mismatch", version=request.version),
            details=present(request, principal),
        )
    if not can_transition(request.status, change.status) or change.status == request.status:
        raise InvalidTransition(
            both("api.no_transition", before=request.status.value, after=change.status.value)
        )
    now = now or utcnow()  # `now`: the demo history replays past changes at their time
    before = request.status
    updated = request.model_copy(update={"status": change.status, "version": request.version + 1, "updated_at": now})
    if change.status in (Status.resolved, Status.closed):
        updated.resolved_at = now
    event = TimelineEvent(
        id=identifiers.new_id(),
        at=now,
        type="status_changed",
        actor=principal.actor,
        visibility="public",
        data={"before": before.value, "after": change.status.value, "note": change.note},
    )
    if change.status is Status.resolved:
        from .reopen import resolved_citizen

        # same transaction: a crash cannot lose "a reply reopens this"
        saved = repo.mark_resolved(updated, expected_version=request.version, events=[event],
                                   citizen=resolved_citizen(updated))
    else:
        saved = repo.save(updated, expected_version=request.version, events=[event])
    return repo.get(saved.id) or saved
