"""A citizen's reply to a resolved request reopens it (threaded reply or same SMS/WhatsApp sender), once."""
from __future__ import annotations

from datetime import timedelta

from chalicelib import container
from chalicelib.domain.models import Channel, Citizen, IntakeCommand, utcnow
from chalicelib.usecases.intake import intake
from chalicelib.usecases.reopen import record_outbound_message

from .conftest import h, post


def _resolve(client, rid):
    v = client.http.get(f"/requests/{rid}", headers=h("admin")).json_body["version"]
    out = post(client, f"/requests/{rid}/status", h("admin"), {"status": "resolved", "version": v})
    assert out.status_code == 200, out.json_body
    return out.json_body


def _types(client, rid):
    return [e["type"] for e in client.http.get(f"/requests/{rid}/timeline", headers=h("admin")).json_body["items"]]


def _email(ref, in_reply_to=None, text="Çöpler hâlâ toplanmadı", received_at=None):
    return IntakeCommand(channel=Channel.email, channel_ref=ref, in_reply_to=in_reply_to, text=text,
                         citizen=Citizen(email="ayse@example.com"), received_at=received_at)


def test_email_reply_to_resolved_request_reopens_it_once(client, pump):
    repo = container.repository()
    first, _ = intake(_email("<m1@example.com>", text="Yenidoğan mahallesinde çöpler toplanmadı"), repo)
    pump.drain()
    _resolve(client, first.id)
    reply = _email("<m2@example.com>", in_reply_to="<m1@example.com>")
    got, created = intake(reply, repo)
    assert (got.id, created, got.status.value) == (first.id, False, "in_progress")
    again, created = intake(reply, repo)  # the provider redelivers the same reply
    assert (again.id, created) == (first.id, False)
    types = _types(client, first.id)
    assert types.count("citizen_reply") == 1 and types.count("reopened") == 1
    ev = [e for e in client.http.get(f"/requests/{first.id}/timeline", headers=h("admin")).json_body["items"]
          if e["type"] == "reopened"][0]
    assert ev["data"]["before"] == {"status": "resolved"} and ev["data"]["after"] == {"status": "in_progress"}
    listed = client.http.get("/requests?channel=email", headers=h("admin")).json_body["items"]
    assert len(listed) == 1
    # the department is notified: the reopened request is back in its task queue, once
    pump.drain()
    dept = got.department
    tasks = client.http.get(f"/departments/{dept}/tasks?max=10", headers=h("admin")).json_body["tasks"]
    reopened = [t for t in tasks if "reopen" in t["task_id"]]
    assert [t["request_id"] for t in reopened] == [first.id]


def test_reply_to_an_outbound_message_id_reopens(client, pump):
    repo = container.repository()
    first, _ = intake(_email("<m1@example.com>", text="Yenidoğan mahallesinde çöpler toplanmadı"), repo)
    pump.drain()
    _resolve(client, first.id)
    record_outbound_message(repo, "email", "<reply-77@talas.bel.tr>", first.id)
    got, created = intake(_email("<m3@example.com>", in_reply_to="<reply-77@talas.bel.tr>"), repo)
    assert got.id == first.id and not created and "reopened" in _types(client, first.id)


def test_reply_after_the_window_is_a_new_request(client, pump, monkeypatch):
    repo = container.repository()
    first, _ = intake(_email("<m1@example.com>", text="Yenidoğan mahallesinde çöpler toplanmadı"), repo)
    pump.drain()
    _resolve(client, first.id)
    late = utcnow() + timedelta(days=30)
    got, created = intake(_email("<m4@example.com>", in_reply_to="<m1@example.com>", received_at=late), repo)
    assert created and got.id != first.id
    assert "reopened" not in _types(client, first.id)


def test_sms_from_the_same_citizen_reopens_their_last_resolved_request(client, pump):
    repo = container.repository()
    sms = dict(channel=Channel.sms, citizen=Citizen(phone="+905051234567"))
    first, _ = intake(IntakeCommand(channel_ref="sms-1", text="Harman mah. Gül sokakta sokak lambası yanmıyor",
                                    **sms), repo)
    pump.drain()
    _resolve(client, first.id)
    got, created = intake(IntakeCommand(channel_ref="sms-2", text="Lamba yine yanmıyor", **sms), repo)
    assert got.id == first.id and not created and got.status.value == "in_progress"
    # another citizen's SMS is a new request
    other, created = intake(IntakeCommand(channel=Channel.sms, channel_ref="sms-3", text="Yol çukur",
                                          citizen=Citizen(phone="+905059999999")), repo)
    assert created and other.id != first.id


def test_unthreaded_message_asks_the_reopen_question_inside_its_one_transaction(client, pump):
    """SMS/WhatsApp: "no request of this citizen resolved within the window" is a condition of the intake
    transaction itself — one AWS call when it holds, the lookup path only when it does not."""
    from tests.support.aws_calls import recording

    repo = container.repository()
    wa = dict(channel=Channel.whatsapp, citizen=Citizen(phone="+905051230000", platform_id="905051230000"))
    with recording() as calls:
        first, created = intake(IntakeCommand(channel_ref="wamid.a1", text="Harman mahallesinde su kesik", **wa),
                                repo)
    assert created and calls.operations == ["TransactWriteItems"]
    pump.drain()
    _resolve(client, first.id)
    with recording() as calls:
        got, created = intake(IntakeCommand(channel_ref="wamid.a2", text="Su yine kesildi", **wa), repo)
    assert got.id == first.id and not created and "reopened" in _types(client, first.id)
    assert calls.operations[0] == "TransactWriteItems"  # refused: the marker says "resolved recently"
    # the same citizen writing after the window: the condition holds again -> a new request in one call
    late = utcnow() + timedelta(days=30)
    with recording() as calls:
        other, created = intake(IntakeCommand(channel_ref="wamid.a3", text="Yol çukur", received_at=late, **wa),
                                repo)
    assert created and other.id != first.id and calls.operations == ["TransactWriteItems"]


def test_marker_without_resolved_at_still_reopens_through_the_lookup(client, pump):
    """Markers written before the resolved_at field existed fail the condition and take the slow path."""
    from chalicelib.adapters.schema import requests as keys

    repo = container.repository()
    sms = dict(channel=Channel.sms, citizen=Citizen(phone="+905051234500"))
    first, _ = intake(IntakeCommand(channel_ref="sms-l1", text="Harman mahallesinde çöp toplanmadı", **sms), repo)
    pump.drain()
    _resolve(client, first.id)
    repo.put_marker(keys.last_resolved_pk("sms", "+905051234500"), keys.LAST_RESOLVED_SK,
                    {"request_id": first.id}, only_if_new=False)  # the old shape
    got, created = intake(IntakeCommand(channel_ref="sms-l2", text="Hâlâ toplanmadı", **sms), repo)
    assert got.id == first.id and not created
