"""Every adapter implements its port exactly: the same method names and the same signatures
(parameter names, kinds and defaults), read with inspect — a port that drifts from its adapter fails here."""
from __future__ import annotations

import inspect
import time
from typing import Protocol

import pytest

from chalicelib.domain import ports


def _members(protocol: type) -> dict[str, object]:
    found: dict[str, object] = {}
    for klass in reversed(protocol.__mro__):
        if klass in (object, Protocol) or not getattr(klass, "_is_protocol", False):
            continue
        found.update({n: f for n, f in vars(klass).items() if inspect.isfunction(f)
                      and (not n.startswith("_") or n == "__call__")})
    return found


def _shape(function) -> list[tuple[str, object, object]]:
    params = list(inspect.signature(function).parameters.values())
    if params and params[0].name == "self":
        params = params[1:]
    return [(p.name, p.kind, p.default) for p in params]


def _adapters():
    from chalicelib.adapters.dynamo_repository import DynamoRequestRepository
    from chalicelib.adapters.memory import InMemoryRepository
    from chalicelib.adapters.memory_privacy import InMemoryPrivacyStore
    from chalicelib.adapters.outbound_aws import SqsOutboundQueue, _Flagged
    from chalicelib.adapters.privacy_store import DynamoPrivacyStore
    from chalicelib.adapters.s3_media import S3MediaStore
    from chalicelib.adapters.secrets import fetch_secret
    from chalicelib.adapters.sqs_tasks import SqsTaskQueue
    from chalicelib.channels.email.outbound import SesEmailSender
    from chalicelib.channels.meta.outbound import MetaSender
    from chalicelib.channels.sms.outbound import SnsSmsSender
    from chalicelib.channels.twilio.outbound import TwilioSender
    from chalicelib.channels.x.outbound import XSender
    from chalicelib.channels.youtube.outbound import YouTubeSender
    from chalicelib.domain.models import utcnow

    return [
        (DynamoRequestRepository, ports.Repository), (InMemoryRepository, ports.Repository),
        (SqsTaskQueue, ports.TaskQueue), (SqsOutboundQueue, ports.OutboundQueue),
        (DynamoPrivacyStore, ports.PrivacyStore), (InMemoryPrivacyStore, ports.PrivacyStore), (S3MediaStore, ports.MediaStore),
        *[(sender, ports.OutboundSender) for sender in (SesEmailSender, MetaSender, SnsSmsSender, TwilioSender,
                                                         XSender, YouTubeSender, _Flagged)],
        (fetch_secret, ports.SecretFetcher), (utcnow, ports.Clock), (time.time, ports.EpochClock),
    ]


@pytest.mark.parametrize("adapter,protocol", _adapters(), ids=lambda x: getattr(x, "__name__", str(x)))
def test_adapter_implements_its_port_exactly(adapter, protocol):
    members = _members(protocol)
    assert members, f"{protocol.__name__} declares nothing"
    for name, declared in members.items():
        if name == "__call__":
            assert callable(adapter) and not inspect.isclass(adapter)
            if inspect.isbuiltin(adapter):  # time.time: no parameters to compare
                assert _shape(declared) == []
                continue
            assert _shape(adapter) == _shape(declared), f"{adapter.__name__} != {protocol.__name__}"
            continue
        implemented = getattr(adapter, name, None)
        assert implemented is not None, f"{adapter.__name__} lacks {protocol.__name__}.{name}"
        assert _shape(implemented) == _shape(declared), f"{adapter.__name__}.{name} != {protocol.__name__}.{name}"


def test_the_repository_port_covers_every_repository_call_of_the_use_cases():
    """What the use cases ask of `repo` is declared on the port (nothing reaches past it)."""
    import re
    from pathlib import Path

    folder = Path(ports.__file__).resolve().parents[1] / "usecases"
    called = {m for path in folder.glob("*.py") for m in re.findall(r"\brepo\.([a-z_]+)\(", path.read_text())}
    assert called and called <= set(_members(ports.Repository)), sorted(called - set(_members(ports.Repository)))
