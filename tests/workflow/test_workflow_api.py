"""Each workflow transition and its refusal, through the HTTP API against moto."""
from __future__ import annotations

from datetime import datetime

from chalicelib.domain.models import Status
from chalicelib.routing.deadlines import compute_due, load_calendar

from .conftest import LEAD, OTHER, PARK, STAFF, TEMIZLIK, h, hh, post


def test_routing_sets_due_at_from_category_sla_on_working_days(make):
    req = make()
    assert req["status"] == "routed" and req["department"] == "temizlik"
    received = datetime.fromisoformat(req["received_at"])
    expected = compute_due(received, req["classification"]["sla_hours"], "phone", load_calendar())
    assert datetime.fromisoformat(req["due_at"]) == expected


def test_cimer_request_gets_the_sooner_of_sla_and_legal_deadline(client, pump):
    from chalicelib import container
    from chalicelib.domain.models import Channel, IntakeCommand
    from chalicelib.routing.deadlines import legal_deadline
    from chalicelib.usecases.intake import intake

    stored, _ = intake(IntakeCommand(channel=Channel.cimer, channel_ref="CIMER-1",
                                     text="Başakpınar mahallesinde imar durumu hakkında bilgi talep ediyorum"),
                       container.repository())
    pump.drain()
    got = container.repository().get(stored.id)
    legal = legal_deadline(got.received_at, "cimer", load_calendar())
    assert got.due_at is not None and got.due_at <= legal
    assert got.due_at == compute_due(got.received_at, got.classification.sla_hours, "cimer", load_calendar())


def test_assign_by_lead_with_before_after_and_my_requests(client, make):
    req = make()
    out = post(client, f"/requests/{req['id']}/assign", hh(LEAD), {"assignee": "staff-ali", "version": req["version"]})
    assert out.status_code == 200, out.json_body
    assert out.json_body["assignee"] == "staff-ali" and out.json_body["version"] == req["version"] + 1
    ev = [e for e in out.json_body["timeline"] if e["type"] == "assigned"]
    assert len(ev) == 1 and ev[0]["actor"] == "department:lead-temizlik"
    assert ev[0]["data"]["before"] == {"assignee": None} and ev[0]["data"]["after"] == {"assignee": "staff-ali"}
    mine = client.http.get("/me/requests", headers=hh(STAFF)).json_body["items"]
    assert [r["id"] for r in mine] == [req["id"]]
    assert client.http.get("/me/requests", headers=hh(LEAD)).json_body["items"] == []


def test_assign_refusals(client, make):
    req = make()
    stale = post(client, f"/requests/{req['id']}/assign", hh(LEAD), {"assignee": "x", "version": req["version"] - 1})
    assert stale.status_code == 409
    assert stale.json_body["error"]["details"]["version"] == req["version"]  # the current state comes back
    assert post(client, f"/requests/{req['id']}/assign", hh(STAFF),
                {"assignee": "x", "version": req["version"]}).status_code == 403
    assert post(client, f"/requests/{req['id']}/assign", hh(OTHER),
                {"assignee": "x", "version": req["version"]}).status_code == 404
    assert post(client, f"/requests/{req['id']}/assign", hh(LEAD), {"assignee": "x"}).status_code == 400
    # nothing was written by the refusals
    tl = client.http.get(f"/requests/{req['id']}/timeline", headers=h("admin")).json_body
    assert tl["version"] == req["version"] and "assigned" not in [e["type"] for e in tl["items"]]


def test_forward_to_another_department_moves_task_and_visibility(client, make):
    req = make()
    assert post(client, f"/requests/{req['id']}/forward", hh(LEAD),
                {"department": "park", "version": req["version"]}).status_code == 400  # note is required
    assert post(client, f"/requests/{req['id']}/forward", hh(LEAD),
                {"department": "temizlik", "note": "x", "version": req["version"]}).status_code == 409
    out = post(client, f"/requests/{req['id']}/forward", hh(LEAD),
               {"department": "park", "note": "Park alanı içinde, park müdürlüğüne", "version": req["version"]})
    assert out.status_code == 200, out.json_body
    body = out.json_body
    assert body["department"] == "park" and body["status"] == "routed" and body["assignee"] is None
    ev = [e for e in body["timeline"] if e["type"] == "forwarded"][0]
    assert ev["data"]["before"]["department"] == "temizlik" and ev["data"]["after"]["department"] == "park"
    assert ev["data"]["note"].startswith("Park alanı")
    # the old department's task is acknowledged: leasing temizlik finds nothing, park finds the new task
    old = client.http.get("/departments/temizlik/tasks?max=10", headers=hh(LEAD)).json_body["tasks"]
    assert old == []
    new = client.http.get("/departments/park/tasks?max=10", headers=hh(OTHER)).json_body["tasks"]
    assert [t["request_id"] for t in new] == [req["id"]]
    # temizlik no longer sees it; park does
    assert client.http.get(f"/requests/{req['id']}", headers=hh(LEAD)).status_code == 404
    assert client.http.get(f"/requests/{req['id']}", headers=hh(OTHER)).status_code == 200


def test_forward_to_outside_institution_needs_institution_and_reference(client, make):
    req = make()
    bad = post(client, f"/requests/{req['id']}/forward", hh(LEAD),
               {"institution": "KASKİ", "note": "su arızası", "version": req["version"]})
    assert bad.status_code == 400
    out = post(client, f"/requests/{req['id']}/forward", hh(LEAD),
               {"institution": "KASKİ Genel Müdürlüğü", "external_ref": "KSK-2026-118", "note": "Su arızası KASKİ'nin",
                "version": req["version"]})
    assert out.status_code == 200, out.json_body
    b = out.json_body
    assert (b["department"], b["status"], b["institution"], b["external_ref"]) == (
        "dis_kurum", "forwarded", "KASKİ Genel Müdürlüğü", "KSK-2026-118")
    assert client.http.get("/departments/dis_kurum/tasks?max=10", headers=h("admin")).json_body["tasks"][0][
        "request_id"] == req["id"]


def test_merge_and_unmerge(client, make):
    a = make(ref="a")
    b = make(TEMIZLIK | {"text": "Harman mahallesi Gül sokakta çöp kamyonu bir haftadır gelmedi"}, ref="b")
    assert a["status"] == b["status"] == "routed" and b["department"] == "temizlik"
    park = make(PARK, ref="p")
    assert post(client, f"/requests/{a['id']}/merge", hh(LEAD), {"into": park["id"], "version": a["version"]}
                ).status_code == 404
    assert post(client, f"/requests/{a['id']}/merge", hh(LEAD), {"into": a["id"], "version": a["version"]}
                ).status_code == 400
    out = post(client, f"/requests/{a['id']}/merge", hh(LEAD), {"into": b["id"], "version": a["version"]})
    assert out.status_code == 200, out.json_body
    assert out.json_body["status"] == "duplicate" and out.json_body["merged_into"] == b["id"]
    survivor = client.http.get(f"/requests/{b['id']}/timeline", headers=hh(LEAD)).json_body["items"]
    assert [e["data"].get("from") for e in survivor if e["type"] == "merged"] == [a["id"]]
    # unmerge restores the status it had before
    v = out.json_body["version"]
    again = post(client, f"/requests/{a['id']}/unmerge", hh(LEAD), {"version": v})
    assert again.status_code == 200, again.json_body
    assert again.json_body["status"] == "routed" and again.json_body["merged_into"] is None
    assert post(client, f"/requests/{a['id']}/unmerge", hh(LEAD), {"version": v + 1}).status_code == 409
    survivor = client.http.get(f"/requests/{b['id']}/timeline", headers=hh(LEAD)).json_body["items"]
    assert "unmerged" in [e["type"] for e in survivor]


def test_internal_note_is_its_own_event_type(client, make):
    req = make()
    out = post(client, f"/requests/{req['id']}/notes", hh(STAFF), {"text": "Ekip yarın sabah gidecek"})
    assert out.status_code == 201
    assert out.json_body["type"] == "note" and out.json_body["visibility"] == "internal"
    assert post(client, f"/requests/{req['id']}/notes", h("viewer"), {"text": "x"}).status_code == 403
    assert post(client, f"/requests/{req['id']}/notes", hh(OTHER), {"text": "x"}).status_code == 404
    assert post(client, f"/requests/{req['id']}/notes", hh(STAFF), {"text": ""}).status_code == 400
    items = client.http.get(f"/requests/{req['id']}/timeline", headers=h("viewer")).json_body["items"]
    notes = [e for e in items if e["type"] == "note"]
    assert len(notes) == 1 and notes[0]["actor"] == "department:staff-ali"
    # the note did not change the request: the version is unchanged
    assert client.http.get(f"/requests/{req['id']}", headers=h("admin")).json_body["version"] == req["version"]


def test_resolving_sets_resolved_at(client, make):
    req = make()
    out = post(client, f"/requests/{req['id']}/status", hh(STAFF), {"status": "resolved", "version": req["version"]})
    assert out.status_code == 200 and out.json_body["resolved_at"]


def test_forward_that_loses_a_version_race_sends_no_task(client, make, aws):
    """The task used to be sent before the versioned save: on a conflict the other department got a task for
    a request it could not open. Now the save comes first, and a conflict sends nothing."""
    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.domain.errors import Conflict
    from chalicelib.usecases import workflow

    req = make()
    repo = container.repository()

    class RacingRepo:
        """Another lead assigns the request between the forward's read and its save."""

        def __init__(self, inner):
            self.inner, self.raced = inner, False

        def save(self, request, *, expected_version, events, **kw):
            if not self.raced:
                self.raced = True
                current = self.inner.get(request.id, with_timeline=False)
                bumped = current.model_copy(update={"assignee": "staff-veli", "version": current.version + 1,
                                                    "timeline": []})
                self.inner.save(bumped, expected_version=current.version, events=[])
            return self.inner.save(request, expected_version=expected_version, events=events, **kw)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    lead = Principal(sub="lead-temizlik", role="department", department="temizlik", lead=True)
    body = workflow.ForwardBody(department="park", note="Park müdürlüğünün işi", version=req["version"])
    import pytest

    with pytest.raises(Conflict):
        workflow.forward(RacingRepo(repo), container.task_queue(), lead, req["id"], body)
    tasks = client.http.get("/departments/park/tasks?max=10", headers=hh(OTHER)).json_body["tasks"]
    assert tasks == []  # park got nothing
    assert client.http.get(f"/requests/{req['id']}", headers=hh(OTHER)).status_code == 404
    got = client.http.get(f"/requests/{req['id']}", headers=h("admin")).json_body
    assert got["department"] == "temizlik" and "forwarded" not in [e["type"] for e in got["timeline"]]


def test_routing_that_loses_to_a_forward_leaves_no_task_in_the_old_department(client, pump, aws):
    """The same hole in routing (task before save): staff forwarded the request while the router worked."""
    import json as _json

    from chalicelib import container
    from chalicelib.usecases import route

    created = client.http.post("/requests", headers=h("agent"), body=_json.dumps({**TEMIZLIK, "channel_ref": "rt"}))
    rid = created.json_body["id"]
    repo = container.repository()
    fresh = repo.get(rid)
    moved = fresh.model_copy(update={"department": "park", "status": Status.routed, "version": fresh.version + 1,
                                     "timeline": []})
    repo.save(moved, expected_version=fresh.version, events=[])  # staff got there first
    assert route.route_new_request(fresh, repo, container.task_queue(), container.classifier(),
                                   clustering=None) is None
    tasks = client.http.get("/departments/temizlik/tasks?max=10", headers=hh(LEAD)).json_body["tasks"]
    assert tasks == []


def test_one_unreadable_task_message_does_not_fail_the_departments_lease(client, make, aws):
    """Same class as the survey bug: one message that fails today's validation must not make the queue
    unreadable; it is left out (and reaches the DLQ after the redrive count)."""
    from chalicelib.adapters.aws import client as aws_client

    req = make()
    sqs = aws_client("sqs")
    sqs.send_message(QueueUrl=aws["queues"]["temizlik"], MessageBody='{"task_id": "old-schema"}',
                     MessageGroupId="g", MessageDeduplicationId="old-schema")
    r = client.http.get("/departments/temizlik/tasks?max=10", headers=hh(LEAD))
    assert r.status_code == 200, r.body
    assert [t["request_id"] for t in r.json_body["tasks"]] == [req["id"]]
