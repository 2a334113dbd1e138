"""Sending, consent, surveys, delivery reports and task leases: the use cases on the in-memory twin."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.models import Status, StatusChange
from chalicelib.domain.outbound import DeliveryUpdate, OutboundMessage, SendResult, TransientSendError
from chalicelib.usecases import consent, escalation, intake, outbound, requests, survey, tasks
from tests.usecases.conftest import ADMIN, LEAD, NOW, sms


class Sender:
    def __init__(self, fail: int = 0) -> None:
        self.sent: list[str] = []
        self.fail = fail

    def send(self, message):
        if self.fail:
            self.fail -= 1
            raise TransientSendError("platform busy")
        self.sent.append(message.message_id)
        return SendResult("sns", f"p-{message.message_id}")


def _message(request, n: int = 1, kind: str = "notification", to: str = "+905051234567") -> OutboundMessage:
    return OutboundMessage(message_id=f"M{n}", request_id=request.id, route="sms", kind=kind, to=to, text="Merhaba",
                           created_at=NOW)


@pytest.fixture
def request_(repo):
    return intake.intake(sms("Su kesik", "s1"), repo)[0]


def test_a_message_is_sent_once_and_linked_to_the_platform_id(repo, request_):
    sender = Sender()
    assert outbound.send(_message(request_), repo, {"sms": sender}, now=NOW) == "sent"
    assert outbound.send(_message(request_), repo, {"sms": sender}, now=NOW) == "duplicate"
    assert sender.sent == ["M1"] and repo.platform_link("sns", "p-M1")["request_id"] == request_.id
    statuses = [e.data["status"] for e in repo.get(request_.id).timeline if e.type == "outbound_status"]
    assert statuses == ["sent"]


def test_a_transient_failure_is_retried_and_then_sent(repo, request_):
    sender = Sender(fail=1)
    with pytest.raises(TransientSendError):
        outbound.send(_message(request_), repo, {"sms": sender}, now=NOW)
    assert repo.send_state("M1", [])[0]["state"] == "retry"
    assert outbound.send(_message(request_), repo, {"sms": sender}, receive_count=2, now=NOW) == "sent"


def test_an_attempt_that_ended_mid_send_is_never_resent_blindly(repo, request_):
    repo.set_send_state("M1", {"state": "sending", "claim": "c", "claimed_at": int(NOW.timestamp())})
    sender = Sender()
    assert outbound.send(_message(request_), repo, {"sms": sender}, now=NOW + timedelta(seconds=30)) == "duplicate"
    assert outbound.send(_message(request_), repo, {"sms": sender}, now=NOW + timedelta(hours=1)) == "unknown"
    assert sender.sent == [] and repo.send_state("M1", [])[0]["state"] == "failed"


def test_stop_silences_sms_until_start(repo, request_):
    assert consent.opt_out(repo, "sms", "+905051234567", source="twilio")
    assert not consent.opt_out(repo, "sms", "+905051234567", source="twilio")  # a repeated STOP: no change
    sender = Sender()
    assert outbound.send(_message(request_), repo, {"sms": sender}, now=NOW) == "skipped"
    consent.opt_in(repo, "sms", "+905051234567")
    assert not consent.is_opted_out("sms", "+905051234567", repo)
    assert outbound.send(_message(request_, 2), repo, {"sms": sender}, now=NOW) == "sent"


def test_the_daily_notification_cap_per_citizen(repo, request_):
    sender = Sender()
    results = [outbound.send(_message(request_, n), repo, {"sms": sender}, daily_cap=2, now=NOW) for n in range(4)]
    assert results == ["sent", "sent", "skipped", "skipped"]
    assert outbound.send(_message(request_, 9, kind="reply"), repo, {"sms": sender}, daily_cap=2, now=NOW) == "sent"


def test_delivery_reports_are_recorded_once_per_status(repo, request_):
    outbound.send(_message(request_), repo, {"sms": Sender()}, now=NOW)
    report = DeliveryUpdate("sns", "p-M1", "delivered", None, NOW)
    assert outbound.record_delivery_updates([report, report], repo) == 1
    assert outbound.record_delivery_updates([DeliveryUpdate("sns", "unknown", "delivered", None, NOW)], repo) == 0


def test_survey_answer_by_sms_is_stored_once(repo, request_):
    routed = request_.model_copy(update={"status": Status.routed, "department": "fen", "version": 2, "timeline": []})
    repo.save(routed, expected_version=1, events=[])
    requests.change_status(repo, ADMIN, request_.id, StatusChange(status=Status.resolved, version=2))
    survey.open_survey(repo, repo.get(request_.id), "+905051234567", "sms", NOW)
    answered, created = intake.intake(sms("5", "s2"), repo)
    assert not created and answered.satisfaction == 5
    assert [int(a["score"]) for a in repo.survey_answers("fen")] == [5]
    again, created_again = intake.intake(sms("3", "s3"), repo)  # the survey is closed: a new message
    assert created_again and repo.get(request_.id).satisfaction == 5


def test_a_task_copy_already_owned_by_another_message_is_dropped_at_lease(repo, queue):
    from chalicelib.domain.models import Task

    task = Task(task_id="R1-1", request_id="R1", tracking_code="TLS-1", department="fen", routed_at=NOW)
    queue.send(task)
    assert repo.claim_task("R1-1", "someone-else")
    assert tasks.lease_tasks(queue, repo, LEAD, "fen", 5, 0, 60) == [] and queue.acked == ["L0"]


def test_escalation_warns_then_escalates_once(repo, queue):
    request = intake.intake(sms("Yol çöktü", "e1"), repo)[0]
    due = request.model_copy(update={"status": Status.routed, "department": "fen", "version": 2, "timeline": [],
                                     "due_at": NOW + timedelta(hours=2)})
    repo.save(due, expected_version=1, events=[])
    warned = escalation.sweep(repo, queue, now=NOW, notify=None)
    assert warned.warned == [request.id] and not warned.escalated
    late = escalation.sweep(repo, queue, now=NOW + timedelta(hours=3), notify=None)
    assert late.escalated == [request.id] and queue.sent[-1].department == "ozel_kalem"
    assert escalation.sweep(repo, queue, now=NOW + timedelta(hours=4), notify=None).escalated == []
    assert repo.get(request.id).escalation_level == 2

