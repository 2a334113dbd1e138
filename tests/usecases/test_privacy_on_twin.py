"""KVKK use cases on the twin (repository and KVKK store): retention after the period, erasure of one
citizen across requests with their markers, audited; staff other than admins are refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.adapters.memory_privacy import InMemoryPrivacyStore
from chalicelib.adapters.schema.base import pepper
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.models import Status, StatusChange
from chalicelib.usecases import consent, intake, privacy, requests
from tests.usecases.conftest import ADMIN, NOW, sms

OTHER = "+905330001122"


def _closed(repo, text: str, ref: str, phone: str = "+905051234567"):
    request, _ = intake.intake(sms(text, ref, phone=phone, received_at=NOW), repo)
    for status in (Status.rejected, Status.closed):  # the shortest way from new to closed
        current = repo.get(request.id)
        requests.change_status(repo, ADMIN, request.id, StatusChange(status=status, version=current.version))
    return repo.get(request.id)


def test_retention_anonymises_only_requests_closed_longer_than_the_period(repo):
    store = InMemoryPrivacyStore(repo)
    old = _closed(repo, "Ben Ali Veli, kaldırım bozuk", "SM-old")
    still_open, _ = intake.intake(sms("Ağaç budansın", "SM-open", phone=OTHER), repo)
    closed_at = old.updated_at  # status changes stamp the real time: the verdicts are measured from it
    soon = closed_at + timedelta(days=729)
    assert privacy.run_retention(repo, store, 730, clock=lambda: soon) == {"anonymised": 0, "skipped": 0}
    later = closed_at + timedelta(days=731)
    assert privacy.run_retention(repo, store, 730, clock=lambda: later)["anonymised"] == 1
    gone = repo.get(old.id)
    assert gone.citizen is None and gone.status is Status.closed and "Ali Veli" not in gone.text
    assert repo.get(still_open.id).citizen.phone == OTHER
    assert privacy.run_retention(repo, store, 730, clock=lambda: later) == {"anonymised": 0, "skipped": 0}
    assert [e["reason"] for e in store.deletion_log(later)] == ["retention"]


def test_erasure_covers_every_request_and_marker_of_one_citizen_and_is_audited(repo):
    store = InMemoryPrivacyStore(repo)
    mine = [_closed(repo, "Sokak lambası yanmıyor", "SM-e1"), _closed(repo, "Çöpler toplanmadı", "SM-e2")]
    other, _ = intake.intake(sms("Parkta salıncak kırık", "SM-e3", phone=OTHER), repo)
    consent.opt_out(repo, "sms", "+905051234567", source="sms")
    with pytest.raises(Forbidden):
        privacy.erase_citizen(repo, store, requests_principal("agent"), [("phone", "+905051234567")], pepper())
    result = privacy.erase_citizen(repo, store, ADMIN, [("phone", "+905051234567")], pepper(), clock=lambda: NOW)
    assert result["anonymised"] == 2 and sorted(result["request_ids"]) == sorted(r.id for r in mine)
    assert all(repo.get(r.id).citizen is None for r in mine) and repo.get(other.id).citizen is not None
    assert not consent.is_opted_out("sms", "+905051234567", repo)  # the marker keyed by the phone is gone too
    assert [a["anonymised"] for a in store.audit_log("citizen_erasure")] == [2]
    again = privacy.erase_citizen(repo, store, ADMIN, [("phone", "+905051234567")], pepper(), clock=lambda: NOW)
    assert again["matched"] == 0 and again["anonymised"] == 0


def requests_principal(role: str):
    from chalicelib.auth import Principal

    return Principal(sub=f"{role}-1", role=role)
