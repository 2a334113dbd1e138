"""Console action forms bind to the workflow/outbound use cases by parameter names and annotations."""
from __future__ import annotations

import sys
import types

from pydantic import BaseModel, ConfigDict

from tests.console.helpers import create, form_post, session, text_of

PARK = "Mevlana mahallesindeki parkta salıncak kırılmış"


class AssignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str
    version: int


def test_forms_call_the_use_cases_with_repo_principal_id_and_body(client, pump, aws, monkeypatch):
    calls = []
    fake = types.ModuleType("chalicelib.usecases.workflow")

    def assign(repo, principal, request_id: str, body: AssignBody):
        calls.append(("assign", principal.sub, request_id, body))

    def add_note(repo, principal, request_id: str, text: str):
        calls.append(("note", principal.sub, request_id, text))

    assign.__annotations__["body"] = AssignBody
    fake.assign, fake.add_note = assign, add_note
    monkeypatch.setitem(sys.modules, "chalicelib.usecases.workflow", fake)
    made = create(client, PARK, "act-1")
    pump.drain()
    headers, csrf = session("agent", sub="bm-1")
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    assert 'data-testid="assign-form"' in view
    r = form_post(client, f"/console/requests/{made['id']}/assign", headers,
                  {"csrf": csrf, "assignee": "ekip-3", "version": "2"})
    assert r.status_code == 303 and r.headers["Location"].endswith("ok=assign")
    r = form_post(client, f"/console/requests/{made['id']}/note", headers,
                  {"csrf": csrf, "text": "Saha ekibi aradı", "version": "2"})
    assert r.status_code == 303
    assert calls == [("assign", "bm-1", made["id"], AssignBody(assignee="ekip-3", version=2)),
                     ("note", "bm-1", made["id"], "Saha ekibi aradı")]
    # the viewer may not act
    viewer, vcsrf = session("viewer")
    r = form_post(client, f"/console/requests/{made['id']}/assign", viewer,
                  {"csrf": vcsrf, "assignee": "x", "version": "2"})
    assert r.status_code == 403 and len(calls) == 2
    # an unknown action is a 404 page
    r = form_post(client, f"/console/requests/{made['id']}/explode", headers, {"csrf": csrf})
    assert r.status_code == 404
