"""Faults on the way out: a platform outage while replies and notifications are queued, and "acknowledged
exactly once per citizen". N mixed requests go in through the API; the stream consumer (notify_citizens)
queues the acknowledgements, send_outbound delivers them through a transport that is down for a while.
Counts are printed (`pytest -s tests/faults`).
"""
from __future__ import annotations

import json
from collections import Counter

import pytest

from chalicelib import container
from chalicelib.domain.outbound import SendResult, TransientSendError
from tests.conftest import auth
from tests.faults.test_nothing_lost import dead_letter_depths
from ulakbel_cli.dlq import replay

N = 10
TEXTS = ["Sokak lambası iki gündür yanmıyor", "Çöpler üç gündür toplanmadı", "Parktaki salıncak kırık",
         "Yolda büyük bir çukur var", "Su borusu patladı, cadde su içinde"]
CHANNELS = ["beyaz_masa", "phone", "mobile_app", "email"]


class Platform:
    """One outbound platform (all routes) that is down for its first `failures` attempts, then recovers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.delivered: list = []

    def send(self, message):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise TransientSendError(f"{message.route}: ServiceUnavailable (outage)")
        self.delivered.append(message)
        return SendResult(message.route, f"pm-{message.message_id}")


def citizen(i: int) -> dict:
    if i % 2:
        return {"name": "Deneme Vatandaş", "email": f"vatandas{i}@example.com"}
    return {"name": "Deneme Vatandaş", "phone": f"+9050512345{i:02d}"}


def contact(i: int) -> str:
    c = citizen(i)
    return c.get("phone") or c["email"]


@pytest.fixture
def no_backoff(monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("ULAKBEL_OUTBOUND_BACKOFF_SECONDS", "0")
    container.reset()  # settings are parsed once per process


def _submit(client) -> list[str]:
    ids = []
    for i in range(N):
        body = {"channel": CHANNELS[i % len(CHANNELS)], "text": f"{TEXTS[i % len(TEXTS)]} (#{i})",
                "channel_ref": f"ack-{i}", "citizen": citizen(i)}
        res = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
        assert res.status_code == 201, res.body
        ids.append(res.json_body["id"])
    return ids


def _drain(pump, rounds: int = 30) -> None:
    quiet = 0
    for _ in range(rounds):
        quiet = quiet + 1 if pump.run_once() == 0 else 0
        if quiet >= 6:
            return


def _counts(platform: Platform, name: str, **extra) -> dict:
    ids = Counter(m.message_id for m in platform.delivered)
    acks = Counter(m.to for m in platform.delivered if m.template == "received")
    counts = {"scenario": name, "requests": N, "attempts": platform.attempts, "delivered": len(platform.delivered),
              "distinct_messages": len(ids), "acknowledged_citizens": len(acks),
              "max_acks_per_citizen": max(acks.values(), default=0), **extra}
    print(f"\n{json.dumps(counts, ensure_ascii=False)}")
    assert all(n == 1 for n in ids.values()), [k for k, n in ids.items() if n > 1]  # nothing doubled
    assert acks == Counter({contact(i): 1 for i in range(N)})  # exactly once per citizen
    return counts


def test_outage_then_recovery_delivers_every_reply_and_notification_exactly_once(client, pump, no_backoff):
    platform = Platform(failures=2 * N)  # the first 2N sends fail: every early message is retried
    container.override("outbound_senders", {"sms": platform, "email": platform})
    ids = _submit(client)
    _drain(pump)
    replies = []
    for rid in ids:
        r = client.http.post(f"/requests/{rid}/reply", headers=auth("agent"),
                             body=json.dumps({"text": "Ekibimiz yönlendirildi, teşekkürler."}))
        assert r.status_code in (200, 201, 202), r.body
        replies.append(r.json_body["message_id"])
    _drain(pump)
    counts = _counts(platform, "outbound-outage-recovers", replies=len(replies),
                     dlq=sum(dead_letter_depths().values()))
    delivered = {m.message_id for m in platform.delivered}
    assert set(replies) <= delivered  # every reply arrived
    assert counts["attempts"] == counts["delivered"] + 2 * N  # each failure was retried, nothing else resent
    assert dead_letter_depths() == {}


def test_outage_longer_than_the_retries_goes_to_the_dlq_and_replay_delivers_once(client, pump, no_backoff,
                                                                                  monkeypatch):
    platform = Platform(failures=10**6)  # down for good
    container.override("outbound_senders", {"sms": platform, "email": platform})
    _submit(client)
    _drain(pump, rounds=60)
    dead = dead_letter_depths()
    assert sum(dead.values()) >= N, dead  # every acknowledgement is visible in a DLQ, none is lost
    assert platform.delivered == []
    platform.failures = 0  # the platform is back
    replayed = replay("local", log=lambda *_: None)
    _drain(pump)
    counts = _counts(platform, "outbound-outage-dlq-replay", dead_lettered=sum(dead.values()),
                     replayed=replayed["messages"] + replayed["tasks"] + replayed["stream_records"])
    assert replayed["failed"] == 0 and dead_letter_depths() == {}
    assert counts["distinct_messages"] == counts["delivered"] >= N
