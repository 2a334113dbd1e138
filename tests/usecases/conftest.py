"""Use-case tests on the in-memory twin: no moto, no AWS, a frozen clock. The twin's fidelity is what
tests/contract proves against DynamoDB; here the use cases' own decisions are tested, fast."""
from __future__ import annotations

import sys
from datetime import datetime, timezone

import pytest

from chalicelib.auth import Principal
from chalicelib.domain.models import Channel, Citizen, IntakeCommand
from chalicelib.domain.ports import LeasedTask as Leased

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


class RecordingQueue:
    """A task/outbound queue port that keeps what was sent (FIFO dedupe on the id, as SQS FIFO does)."""

    def __init__(self) -> None:
        self.sent: list = []
        self.acked: list[str] = []
        self.released: list[str] = []
        self._ids: set[str] = set()
        self.refuse: set[str] = set()  # task ids send_many reports as not sent
        self.batches: list[list[str]] = []  # the task ids of each send_many call

    def send_many(self, tasks: list) -> dict[str, Exception]:
        from chalicelib.domain.errors import TemporarilyUnavailable

        self.batches.append([t.task_id for t in tasks])
        failed = {t.task_id: TemporarilyUnavailable("refused") for t in tasks if t.task_id in self.refuse}
        for t in tasks:
            if t.task_id not in failed:
                self.send(t)
        return failed

    def send(self, item) -> None:
        key = getattr(item, "task_id", None) or getattr(item, "message_id", None)
        if key not in self._ids:
            self._ids.add(key)
            self.sent.append(item)

    def lease(self, key: str, max_tasks: int, wait_seconds: int, lease_seconds: int) -> list[Leased]:
        return [Leased(task=t, lease=f"L{n}", message_id=f"msg-{n}") for n, t in enumerate(self.sent)
                if getattr(t, "department", None) == key][:max_tasks]

    def ack(self, key: str, lease: str) -> None:
        self.acked.append(lease)

    def release(self, key: str, lease: str) -> None:
        self.released.append(lease)

    def delay(self, receipt_handle: str, seconds: int) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_moto(request):
    """The guard that keeps these tests fast: none may ask for a moto fixture, nor import moto on its own."""
    asked = sorted({"aws", "app", "client", "pump", "moto_server"} & set(request.fixturenames))
    assert not asked, f"a use-case unit test asked for moto ({asked}): it belongs outside tests/usecases"
    before = "moto" in sys.modules
    yield
    assert before or "moto" not in sys.modules, "a use-case unit test imported moto"


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch):
    """Nothing here may reach AWS (not even moto): the twin and the recording queue are the whole world."""
    from botocore.client import BaseClient

    def refuse(self, operation, params):
        raise AssertionError(f"a use-case unit test called AWS ({operation})")

    monkeypatch.setattr(BaseClient, "_make_api_call", refuse)


@pytest.fixture
def repo():
    from chalicelib.adapters.memory import InMemoryRepository

    return InMemoryRepository()


@pytest.fixture
def queue():
    return RecordingQueue()


ADMIN = Principal(sub="admin-1", role="admin")
LEAD = Principal(sub="lead-fen", role="department", department="fen", lead=True)
STAFF_PARK = Principal(sub="park-1", role="department", department="park")


def sms(text: str, ref: str, phone: str = "+905051234567", **kw) -> IntakeCommand:
    return IntakeCommand(channel=Channel.sms, text=text, channel_ref=ref, citizen=Citizen(phone=phone), **kw)
