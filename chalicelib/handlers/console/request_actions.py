"""The forms on a request's page (status, reply, note, assign, forward, merge), each wired explicitly to its use
case: the console is one more adapter of the use cases."""
from __future__ import annotations

from typing import Any, Callable

from ... import container
from ...domain.errors import InvalidInput, NotFound
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint, lazy
from .page import bp, check_csrf, form, page_error, redirect

models = lazy("chalicelib.domain.models")  # imported on first use (cold start)
requests_usecase = lazy("chalicelib.usecases.requests")


def _form_value(payload: dict[str, Any], key: str) -> bool:
    return str(payload.get(key, "")).lower() in ("1", "on", "true", "yes", "evet")


def _reply(principal, request_id: str, payload: dict[str, Any]):
    from ...domain.outbound import ReplyCommand
    from ...usecases import outbound

    cmd = ReplyCommand(text=payload.get("text", ""), public=_form_value(payload, "public"))
    return outbound.reply(container.repository(), container.outbound_queue(), principal, request_id, cmd)


def _workflow(name: str, body_model: str, *, needs_queue: bool = False):
    def call(principal, request_id: str, payload: dict[str, Any]):
        from ...usecases import workflow

        model = getattr(workflow, body_model)
        body = model.model_validate({k: v for k, v in payload.items() if k in model.model_fields})
        args = (container.task_queue(),) if needs_queue else ()
        return getattr(workflow, name)(container.repository(), *args, principal, request_id, body)
    return call


_BINDINGS: dict[str, Callable[..., Any]] = {
    "reply": _reply,
    "note": _workflow("add_note", "NoteBody"),
    "assign": _workflow("assign", "AssignBody"),
    "forward": _workflow("forward", "ForwardBody", needs_queue=True),
    "merge": _workflow("merge", "MergeBody"),
}


def _merge_target(principal, payload: dict[str, Any]) -> None:
    """The merge form names the surviving request by its tracking code (what staff see), not its id."""
    from ...domain.identifiers import normalise_tracking_code

    code = normalise_tracking_code(payload.pop("tracking_code", "") or "")
    if code and not payload.get("into"):
        target = container.repository().get_by_tracking_code(code)
        if target is None or not principal.can_see_department(target.department):
            raise NotFound(both("err.no_tracking_code", code=code[:40]))
        payload["into"] = target.id


@endpoint(bp, "/console/requests/{request_id}/{action}", ["POST"], cookie_auth=True, on_error=page_error)
def request_action(principal, request, request_id, action):
    data = form(request)
    check_csrf(request, data)
    payload: dict[str, Any] = {k: v.strip() for k, v in data.items() if k != "csrf" and v.strip()}
    if "version" in payload:
        try:
            payload["version"] = int(payload["version"])
        except ValueError:
            raise InvalidInput(both("err.version")) from None
    if action == "status":
        change = models.StatusChange(**{k: payload.get(k) for k in ("status", "note", "version") if payload.get(k)})
        requests_usecase.change_status(container.repository(), principal, request_id, change)
    else:
        fn = _BINDINGS.get(action)
        if fn is None:
            raise NotFound(both("err.no_action"))
        principal.require("admin", "agent", "department")
        if action == "merge":
            _merge_target(principal, payload)
        from ...domain.departments import municipality

        outside = municipality().outside_department
        if action == "forward" and payload.get("institution") and payload.get("department") not in (None, outside):
            raise InvalidInput(both("err.institution", outside=outside))
        fn(principal, request_id, {k: v for k, v in payload.items() if k != "public" or action == "reply"})
    return redirect(f"/console/requests/{request_id}?ok={action}")
