"""Helpers for outbound tests: read what moto's SNS/SES received, create requests, recording transports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def sms_sent() -> list[tuple[str, str]]:
    """(phone, text) pairs moto's SNS accepted (the server runs in this process)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return [(phone, text) for phone, text, *_ in sns_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sms_messages.values()]


def emails_sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sent_messages)


class Recorder:
    """An injectable HTTP transport that records each request and answers from a recorded response."""

    def __init__(self, *responses) -> None:
        self.calls: list[dict] = []
        self.responses = list(responses)

    def __call__(self, method, url, headers, body):
        from chalicelib.domain.outbound import HttpResponse

        self.calls.append({"method": method, "url": url, "headers": headers, "body": body})
        status, payload = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(payload, Exception):
            raise payload
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return HttpResponse(status, data)

    def json(self, i=-1):
        return json.loads(self.calls[i]["body"])


def fixture(platform: str, name: str):
    return json.loads((FIX / platform / name).read_text(encoding="utf-8"))


@pytest.fixture
def make_request(aws):
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake

    def make(channel="sms", text="Sokak lambası yanmıyor", ref="ref-1", **citizen):
        cmd = IntakeCommand(channel=Channel(channel), text=text, channel_ref=ref,
                            citizen=Citizen(**citizen) if citizen else None)
        return intake(cmd, container.repository())[0]

    return make
