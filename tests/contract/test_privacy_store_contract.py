"""The KVKK store contract (domain/ports.PrivacyStore) on the in-memory twin and on DynamoDB (moto): the
citizen lookup, the retention index, anonymising guarded by the version, deletes and the logs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.models import Channel, Citizen, Location, Request, Status, TimelineEvent
from chalicelib.domain.privacy import citizen_key
from chalicelib.usecases.privacy import anonymised_copy

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=timezone.utc)
PHONE = "+905321112233"


@pytest.fixture
def store(repo):
    if type(repo).__name__ == "InMemoryRepository":
        from chalicelib.adapters.memory_privacy import InMemoryPrivacyStore

        return InMemoryPrivacyStore(repo)
    from chalicelib.adapters.privacy_store import DynamoPrivacyStore

    return DynamoPrivacyStore(repo)


def _closed(repo, n: int, *, at=T0) -> Request:
    request = Request(id=f"01JKVKK{n:05d}", tracking_code=f"KVK-{n:05d}", channel=Channel.sms, channel_ref=f"k{n}",
                      received_at=at, text=f"Ben Ayşe, lamba yanmıyor {n}", citizen=Citizen(name="Ayşe", phone=PHONE),
                      location=Location(neighbourhood="Harman", address="Gül Sokak 4"), department="fen",
                      status=Status.new, updated_at=at, category="aydinlatma",
                      timeline=[TimelineEvent(id=f"01JKEVT{n:05d}", at=at, type="received",
                                              data={"text": "Ben Ayşe, 0532 111 22 33"})])
    repo.create(request, dedupe_key=None)
    closed = request.model_copy(update={"status": Status.closed, "version": 2, "timeline": [], "updated_at": at,
                                        "resolved_at": at})
    return repo.save(closed, expected_version=1, events=[])


def test_the_citizen_lookup_and_the_retention_index_find_closed_requests(repo, store):
    from chalicelib.adapters.schema.base import pepper

    first, second = _closed(repo, 1), _closed(repo, 2, at=T0 + timedelta(days=30))
    assert sorted(store.requests_for_citizen(citizen_key("phone", PHONE, pepper()))) == [first.id, second.id]
    assert store.retention_due(T0 + timedelta(days=1), 10) == [first.id]
    assert sorted(store.retention_due(T0 + timedelta(days=60), 10)) == [first.id, second.id]


def test_anonymising_is_guarded_by_the_version_and_leaves_no_personal_data(repo, store):
    from chalicelib.adapters.schema.base import pepper

    request = repo.get(_closed(repo, 3).id)
    stale = request.model_copy(update={"version": 1})
    assert not store.anonymise(stale, anonymised_copy(stale, T0), reason="retention", actor="system")
    assert repo.get(request.id).citizen is not None  # nothing written
    assert store.anonymise(request, anonymised_copy(request, T0 + timedelta(days=800)), reason="retention",
                           actor="system")
    after = repo.get(request.id)
    assert after.citizen is None and after.anonymised_at is not None and "Ayşe" not in after.text
    assert "0532" not in str([e.data for e in after.timeline])
    assert store.requests_for_citizen(citizen_key("phone", PHONE, pepper())) == []
    assert store.retention_due(T0 + timedelta(days=900), 10) == []  # it left the index
    assert [e["request_id"] for e in store.deletion_log(T0 + timedelta(days=800))] == [request.id]


def test_deleting_counts_only_what_existed_and_the_audit_is_kept(repo, store):
    repo.put_marker("OPTOUT#sms#x", "CONSENT", {"at": "t"})
    assert store.delete_items([("OPTOUT#sms#x", "CONSENT"), ("OPTOUT#sms#x", "CONSENT"), ("NOPE", "NOPE")]) == 1
    assert repo.get_marker("OPTOUT#sms#x", "CONSENT") is None
    store.audit("citizen_erasure", "admin:kvkk", {"anonymised": 2})
    assert [(a["actor"], a["anonymised"]) for a in store.audit_log("citizen_erasure")] == [("admin:kvkk", 2)]


def test_anonymising_a_request_deletes_the_classifier_corrections_learnt_from_it(repo, store):
    """A staff forward/re-classification is stored as a CORRECTION# item keyed by the event's time and id and
    holding the request id: erasure deletes it with the request; another request's correction stays."""
    from chalicelib.usecases.privacy import anonymise_request

    request = _closed(repo, 4)
    other = _closed(repo, 5)
    forwarded_at, reclassified_at = T0 + timedelta(days=1), T0 + timedelta(days=40)  # two month partitions
    events = [TimelineEvent(id="01JKEVTFWD0004", at=forwarded_at, type="forwarded", actor="lead:fen",
                            data={"after": {"department": "zabita"}}),
              TimelineEvent(id="01JKEVTRCL0004", at=reclassified_at, type="reclassified", actor="lead:zabita",
                            data={"after": {"category": "seyyar"}})]
    request = repo.save(request.model_copy(update={"version": request.version + 1, "timeline": []}),
                        expected_version=request.version, events=events)
    for r, event in ((request, events[0]), (request, events[1]),
                     (other, TimelineEvent(id="01JKEVTFWD0005", at=forwarded_at, type="forwarded", actor="x"))):
        assert repo.record_correction({"event_id": event.id, "request_id": r.id, "at": event.at.isoformat(),
                                       "action": "forward", "actor": event.actor, "text": "lamba yanmıyor",
                                       "old": {"department": "fen"}, "new": {"department": "zabita"},
                                       "changed": ["department"]})
    window = (T0, T0 + timedelta(days=90))
    assert sorted(c["request_id"] for c in repo.corrections(*window)) == [request.id, request.id, other.id]
    assert anonymise_request(repo, store, request.id, reason="erasure", actor="admin:kvkk")
    assert [c["request_id"] for c in repo.corrections(*window)] == [other.id]
