"""The SMS and e-mail senders are AWS (SNS `Publish`, SES `SendRawEmail`): break those calls at the botocore
seam and count what actually reached moto's SNS / SES outbox — the same place `ulakbel outbox` reads.
Every citizen gets exactly one acknowledgement, however many sends were throttled or answered 5xx on the way.
"""
from __future__ import annotations

import json
from collections import Counter

from chalicelib import container
from tests.faults.test_nothing_lost import dead_letter_depths
from tests.faults.test_outbound_outage import N, _drain, _submit, citizen, no_backoff  # noqa: F401
from tests.support.aws_calls import Fault, injecting
from ulakbel_cli.outbox import snapshot


def _text(raw) -> str:
    import email
    from email import policy

    msg = email.message_from_bytes(raw.encode() if isinstance(raw, str) else raw, policy=policy.default)
    return msg.get_body(("plain",)).get_content()


def _delivered() -> list[tuple[str, str]]:
    """(recipient, text) of every SMS and e-mail that reached moto."""
    box = snapshot()
    return ([(m["phone"], m["text"]) for m in box["sms"]]
            + [(to, _text(m["raw"])) for m in box["email"] for to in m["to"]])


def test_throttled_and_failing_sns_and_ses_still_acknowledge_each_citizen_exactly_once(client, pump, no_backoff,
                                                                                      monkeypatch):
    monkeypatch.setenv("ULAKBEL_OUTBOX", "0")  # the real AWS senders for SMS and e-mail
    container.reset()
    faults = (Fault("Publish", code="ThrottlingException", status=400, times=N),
              Fault("Publish", code="InternalError", status=500, times=2),
              Fault("SendRawEmail", code="Throttling", status=400, times=N),
              Fault("SendRawEmail", code="ServiceUnavailable", status=503, times=2))
    with injecting(*faults) as injector:
        _submit(client)
        _drain(pump, rounds=60)
    delivered = _delivered()
    acks = Counter(to for to, text in delivered if "Talebiniz alındı" in text)
    contacts = [c.get("phone") or c["email"] for c in map(citizen, range(N))]
    counts = {"scenario": "sns-ses-throttled", "requests": N, "faults_fired": injector.fired,
              "delivered_in_moto": len(delivered), "acknowledgements": sum(acks.values()),
              "dlq": sum(dead_letter_depths().values())}
    print(f"\n{json.dumps(counts)}")
    assert injector.fired == sum(f.times for f in faults)  # every fault really happened
    assert acks == Counter(contacts)  # one acknowledgement per citizen: none lost, none doubled
    assert max(Counter(delivered).values()) == 1  # no message of any kind went out twice
    assert Counter(to for to, _ in delivered) == Counter({c: 2 for c in contacts})  # ack + "routed" note each
    assert dead_letter_depths() == {}
