"""Bulk actions from the inbox: every selected request through its own use case; refusals are counted, not
hidden, and nothing outside the caller's department changes."""
from __future__ import annotations

import re

from tests.conftest import token
from tests.console.helpers import create, session, text_of

# Clear enough for the model to route without triage (confidence above the frozen split's threshold).
PARK = ["Mevlana parkındaki salıncaklar kırık", "Kiçiköy parkının bankları kırık, çimleri kurudu", "Harman parkında çimler kurudu"]


def bulk_post(client, headers, csrf, ids, **fields):
    from urllib.parse import urlencode

    body = urlencode([("csrf", csrf), *(("id", i) for i in ids), *fields.items()])
    return client.http.post("/console/bulk", headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                            body=body)


def get(client, rid):
    return client.http.get(f"/requests/{rid}", headers={"Authorization": f"Bearer {token('admin')}"}).json_body


def test_bulk_assign_status_and_forward(client, pump, aws):
    made = [create(client, t, f"bk-{n}") for n, t in enumerate(PARK)]
    rubbish = create(client, "Yenidoğan mahallesinde çöpler toplanmadı", "bk-r")
    pump.drain()
    ids = [m["id"] for m in made]
    tok = token("department", "park", sub="park-sefi", lead=True)
    from chalicelib.handlers.console import csrf_for

    headers, csrf = {"Cookie": f"ulakbel_session={tok}", "Host": "127.0.0.1:8000"}, csrf_for(tok)
    # the inbox offers the selection and the department's staff
    page = text_of(client.http.get("/console", headers=headers).body)
    assert len(re.findall(r'<input type="checkbox" name="id" value="', page)) == 3
    assert 'value="park-1"' in page.split('id="bulk-assignee"')[1].split("</select>")[0]
    # no CSRF: refused, nothing changed
    r = bulk_post(client, headers, "", ids, action="assign", assignee="park-1")
    assert r.status_code == 403 and all(get(client, i).get("assignee") is None for i in ids)
    # a request of another department is refused (404 for them), the others are assigned
    r = bulk_post(client, headers, csrf, [*ids, rubbish["id"]], action="assign", assignee="park-1",
                  back="/console?sort=due")
    assert r.status_code == 303 and "bulk_done=3" in r.headers["Location"] and "bulk_failed=1" in r.headers["Location"]
    assert "sort=due" in r.headers["Location"]
    assert [get(client, i)["assignee"] for i in ids] == ["park-1"] * 3
    assert get(client, rubbish["id"]).get("assignee") is None
    page = text_of(client.http.get(r.headers["Location"], headers=headers).body)
    assert "3 talep güncellendi, 1 talep yapılamadı" in page
    # status
    r = bulk_post(client, headers, csrf, ids[:2], action="status", status="in_progress", note="ekip yolda")
    assert "bulk_done=2" in r.headers["Location"]
    assert [get(client, i)["status"] for i in ids] == ["in_progress", "in_progress", "routed"]
    # forward
    r = bulk_post(client, headers, csrf, ids[2:], action="forward", department="fen")
    assert "bulk_done=1" in r.headers["Location"] and get(client, ids[2])["department"] == "fen"
    # nothing chosen / unknown action: a clear 400
    assert bulk_post(client, headers, csrf, [], action="assign", assignee="park-1").status_code == 400
    assert bulk_post(client, headers, csrf, ids, action="delete", assignee="x").status_code == 400
    # a viewer has no bulk form
    vh, _ = session("viewer")
    assert 'data-testid="bulk-form"' not in text_of(client.http.get("/console", headers=vh).body)

