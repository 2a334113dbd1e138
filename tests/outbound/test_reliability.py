"""Outage never loses a reply and never sends it twice; opt-outs and the daily cap are honoured."""
from __future__ import annotations

import json

import pytest

from chalicelib import container
from chalicelib.domain.outbound import SendResult, TransientSendError
from tests.conftest import auth


class FlakySender:
    """Fails `failures` times with a platform outage, then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.delivered: list[str] = []

    def send(self, message):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise TransientSendError("sms: ServiceUnavailable")
        self.delivered.append(message.message_id)
        return SendResult("sns", f"pm-{message.message_id}")


def _timeline(client, rid):
    return client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body["timeline"]


def _statuses(client, rid, message_id):
    return [e["data"]["status"] for e in _timeline(client, rid)
            if e["type"] == "outbound_status" and e["data"]["message_id"] == message_id]


@pytest.fixture
def no_backoff(monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_OUTBOUND_BACKOFF_SECONDS", "0")
    container.reset()  # settings are parsed once per process


def test_transient_failure_is_retried_and_delivered_once(client, pump, make_request, no_backoff):
    req = make_request("sms", phone="+905051234567")
    pump.drain()
    flaky = FlakySender(failures=2)
    container.override("outbound_senders", {"sms": flaky})
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Onarıldı."}')
    message_id = r.json_body["message_id"]
    for _ in range(6):  # each round: SQS redelivers after the (zero) backoff
        pump.drain()
    assert flaky.attempts == 3
    assert flaky.delivered == [message_id]
    assert _statuses(client, req.id, message_id) == ["sent"]


def test_redelivered_message_is_not_sent_twice(client, pump, make_request):
    req = make_request("sms", phone="+905051234567")
    pump.drain()
    ok = FlakySender(failures=0)
    container.override("outbound_senders", {"sms": ok})
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Tamam."}')
    pump.drain()
    # SQS is at-least-once: deliver the very same message body again, as a redelivery would.
    from chalicelib.adapters.aws import client as aws_client
    sqs = aws_client("sqs")
    url = container.outbound_queue().url()
    from chalicelib.domain.outbound import OutboundMessage

    again = OutboundMessage(message_id=r.json_body["message_id"], request_id=req.id, route="sms",
                            to="+905051234567", text="Tamam.", created_at="2026-11-29T00:00:00Z")
    sqs.send_message(QueueUrl=url, MessageBody=again.model_dump_json())
    pump.drain()
    assert ok.delivered == [r.json_body["message_id"]]
    assert _statuses(client, req.id, r.json_body["message_id"]) == ["sent"]


def test_gives_up_after_max_attempts_and_records_failure(make_request, aws):
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound

    req = make_request("sms", phone="+905051234567")
    repo = container.repository()
    m = OutboundMessage(message_id="01JGIVEUP", request_id=req.id, route="sms", to="+905051234567", text="x",
                        created_at="2026-11-29T00:00:00Z")
    down = FlakySender(failures=99)
    for attempt in range(1, 6):
        with pytest.raises(TransientSendError):
            outbound.send(m, repo, {"sms": down}, receive_count=attempt, max_attempts=5)
    events = [e for e in repo.get(req.id).timeline if e.type == "outbound_status"]
    assert [e.data["status"] for e in events] == ["failed"] and "DLQ" in events[0].data["reason"]
    assert outbound.backoff_seconds(1) == 30 and outbound.backoff_seconds(3) == 120
    assert outbound.backoff_seconds(10) == 900


def test_crash_mid_send_is_not_resent_blindly(make_request, aws):
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound

    req = make_request("sms", phone="+905051234567")
    repo = container.repository()
    m = OutboundMessage(message_id="01JCRASH", request_id=req.id, route="sms", to="+905051234567", text="x",
                        created_at="2026-11-29T00:00:00Z")
    repo.set_send_state(m.message_id, {"state": "sending", "attempt": 1})
    sender = FlakySender(0)
    assert outbound.send(m, repo, {"sms": sender}, receive_count=2) == "unknown"
    assert sender.attempts == 0


def test_sms_opt_out_is_honoured(client, pump, make_request):
    req = make_request("sms", phone="+905051234567")
    pump.drain()
    ok = FlakySender(failures=0)
    container.override("outbound_senders", {"sms": ok})

    container.repository().record_consent("sms", "+905051234567", {})
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"), body='{"text": "Bilginize."}')
    pump.drain()
    assert ok.attempts == 0
    statuses = [e["data"] for e in _timeline(client, req.id) if e["type"] == "outbound_status"
                and e["data"]["message_id"] == r.json_body["message_id"]]
    assert statuses[0]["status"] == "failed" and "opted out" in statuses[0]["reason"]


def test_daily_notification_cap_per_citizen(make_request, aws):
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound

    req = make_request("sms", phone="+905051234567")
    repo = container.repository()
    ok = FlakySender(0)
    results = []
    for i in range(4):
        m = OutboundMessage(message_id=f"01JCAP{i}", request_id=req.id, route="sms", kind="notification",
                            to="+905051234567", text="x", created_at="2026-11-29T00:00:00Z")
        results.append(outbound.send(m, repo, {"sms": ok}, daily_cap=3))
    assert results == ["sent", "sent", "sent", "skipped"]
    reply = OutboundMessage(message_id="01JCAPR", request_id=req.id, route="sms", kind="reply",
                            to="+905051234567", text="staff answer", created_at="2026-11-29T00:00:00Z")
    assert outbound.send(reply, repo, {"sms": ok}, daily_cap=3) == "sent"  # replies are not notifications


def test_reply_longer_than_the_platform_allows_is_a_400(client, make_request):
    req = make_request("x", text="Köpekler okul yolunda", ref="1861400000000000000", platform_id="7", handle="h")
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                         body=json.dumps({"text": "a" * 300, "public": True}))
    assert r.status_code == 400 and "280" in r.json_body["error"]["message"]
    r = client.http.post(f"/requests/{req.id}/reply", headers=auth("agent"),
                         body=json.dumps({"text": "a" * 100, "public": True}))
    assert r.status_code == 202 and r.json_body["channel"] == "x_reply"


class _Barrier:
    """The repository, except that every consumer waits after reading the message state until all have read
    it: the two copies then race for the claim exactly as two Lambda invocations would."""

    def __init__(self, repo, parties: int) -> None:
        import threading

        self._repo, self._barrier = repo, threading.Barrier(parties, timeout=20)

    def send_state(self, message_id, consents):
        found = self._repo.send_state(message_id, consents)
        self._barrier.wait()
        return found

    def __getattr__(self, name):
        return getattr(self._repo, name)


@pytest.mark.parametrize("route,to", [("sms", "+905051234567"), ("email", "vatandas@example.com")])
def test_two_consumers_racing_on_one_message_send_it_once(make_request, aws, route, to):
    """SQS may hand the same message to two consumers at once: both read "not sent yet"; one claim wins."""
    import threading

    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound
    from tests.outbound.conftest import emails_sent, sms_sent

    req = make_request(route if route == "sms" else "email", phone=to if route == "sms" else None,
                       email=to if route == "email" else None, ref="race-1")
    repo, senders = container.repository(), container.outbound_senders()
    m = OutboundMessage(message_id="01JRACE" + route.upper(), request_id=req.id, route=route, to=to, kind="reply",
                        text="Ekibimiz yarın gelecek.", created_at="2026-11-29T00:00:00Z")
    before = len(sms_sent()) + len(emails_sent())
    racing = _Barrier(repo, 2)
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(outbound.send(m, racing, senders)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["duplicate", "sent"], outcomes
    assert len(sms_sent()) + len(emails_sent()) - before == 1  # counted in moto's SNS / SES
    statuses = [e.data["status"] for e in repo.get(req.id).timeline
                if e.type == "outbound_status" and e.data["message_id"] == m.message_id]
    assert statuses == ["sent"]


def test_answer_lost_after_send_stays_a_visible_failure_recorded_once(make_request, aws):
    """A consumer that claimed and died mid-send: the redeliveries after the visibility timeout record one
    visible failure and never resend; a copy arriving while the claim is fresh is simply dropped."""
    from datetime import datetime, timezone

    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases import outbound

    req = make_request("sms", phone="+905051234567")
    repo = container.repository()
    m = OutboundMessage(message_id="01JLOST", request_id=req.id, route="sms", to="+905051234567", text="x",
                        kind="reply", created_at="2026-11-29T00:00:00Z")
    t0 = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)
    repo.set_send_state(m.message_id,
                    {"state": "sending", "attempt": 1, "claim": "01JCLAIM", "claimed_at": int(t0.timestamp())})
    sender = FlakySender(0)
    from datetime import timedelta

    assert outbound.send(m, repo, {"sms": sender}, now=t0 + timedelta(seconds=30)) == "duplicate"
    late = t0 + timedelta(seconds=300)
    assert outbound.send(m, repo, {"sms": sender}, receive_count=2, now=late) == "unknown"
    assert outbound.send(m, repo, {"sms": sender}, receive_count=3, now=late) == "duplicate"
    assert sender.attempts == 0
    failed = [e for e in repo.get(req.id).timeline if e.type == "outbound_status" and e.data["status"] == "failed"]
    assert len(failed) == 1 and "mid-send" in failed[0].data["reason"]
