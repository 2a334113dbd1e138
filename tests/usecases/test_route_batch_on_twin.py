"""Routing a stream batch at once (issue 21: the tasks go out in batches) decides exactly what routing the same
requests one by one does, duplicates within the batch included, and a failure stays with its own request."""
from __future__ import annotations

from chalicelib.domain.errors import TemporarilyUnavailable
from chalicelib.domain.models import Channel, Classification, IntakeCommand, Status
from chalicelib.usecases import intake, route
from tests.usecases.conftest import NOW, RecordingQueue

PLACES = {"Harman": "Harman", "Bahçelievler": "Bahçelievler"}
TEXTS = [
    "Harman çöpler toplanmadı kokuyor",          # new
    "Harman çöpler toplanmadı kokuyor yine",     # duplicate of 0 (same batch)
    "Bahçelievler çöpler toplanmadı kokuyor",    # new: another mahalle
    "Harman sokak lambası yanmıyor",             # new: another category
    "Harman çöpler toplanmadı kokuyor hâlâ",     # duplicate of 0
    "Çöpler toplanmadı",                         # no mahalle: never clustered
    "Harman sokak lambası yanmıyor gece",        # duplicate of 3
]


def _classify(text, **_):
    category = "cop" if "çöp" in text.lower() else "aydinlatma"
    place = next((p for p in PLACES if p in text), None)
    return Classification(category=category, department="temizlik" if category == "cop" else "fen",
                          confidence=0.9, explanation="test", neighbourhood=place)


def _similar(a: str, b: str) -> float:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / len(wa | wb)


def _clustering():
    return _similar, 72.0, 0.6


def _intake(repo, texts):
    out = []
    for i, text in enumerate(texts):
        request, created = intake.intake(IntakeCommand(channel=Channel.beyaz_masa, text=text,
                                                       channel_ref=f"b-{i}"), repo)
        assert created
        out.append(request)
    return out


def _shape(repo, requests):
    """Each request's outcome, with duplicates named by their primary's position in the batch."""
    index = {r.id: i for i, r in enumerate(requests)}
    out = []
    for r in requests:
        stored = repo.get(r.id, with_timeline=False)
        out.append((stored.status.value, index.get(stored.duplicate_of), stored.department, stored.category))
    return out


def test_a_batch_decides_what_one_by_one_decides_and_sends_tasks_in_batches():
    from chalicelib.adapters.memory import InMemoryRepository

    one_repo, one_queue = InMemoryRepository(), RecordingQueue()
    one = _intake(one_repo, TEXTS)
    for r in one:
        route.route_new_request(r, one_repo, one_queue, _classify, clock=lambda: NOW, clustering=_clustering)
    batch_repo, batch_queue = InMemoryRepository(), RecordingQueue()
    batch = _intake(batch_repo, TEXTS)
    outcomes = route.route_new_requests(batch, batch_repo, batch_queue, _classify, clock=lambda: NOW,
                                        clustering=_clustering)

    expected = _shape(one_repo, one)
    assert [(s, d) for s, d, *_ in expected] == [("routed", None), ("duplicate", 0), ("routed", None),
                                                ("routed", None), ("duplicate", 0), ("routed", None),
                                                ("duplicate", 3)]
    assert _shape(batch_repo, batch) == expected
    assert [o.request_id for o in outcomes] == [r.id for r in batch]
    assert all(o.error is None for o in outcomes)
    assert [o.task is not None for o in outcomes] == [s == "routed" for s, *_ in expected]
    # Four tasks in two send_many calls (the first wave, then nothing new in the later waves), not four sends.
    assert sorted(t.request_id for t in batch_queue.sent) == sorted(r.id for r, (s, *_) in zip(batch, expected)
                                                                    if s == "routed")
    assert len(batch_queue.batches) == 1 and len(batch_queue.batches[0]) == 4


def test_a_refused_task_fails_its_own_request_only_and_a_redelivery_routes_it_once():
    from chalicelib.adapters.memory import InMemoryRepository

    repo, queue = InMemoryRepository(), RecordingQueue()
    requests = _intake(repo, [TEXTS[0], TEXTS[2], TEXTS[3]])
    queue.refuse = {route.task_id_for(requests[1])}
    outcomes = route.route_new_requests(requests, repo, queue, _classify, clock=lambda: NOW, clustering=_clustering)
    assert [type(o.error) for o in outcomes] == [type(None), TemporarilyUnavailable, type(None)]
    assert [repo.get(r.id, with_timeline=False).status for r in requests] == [Status.routed, Status.new,
                                                                              Status.routed]
    # The stream redelivers from the failed record on: the routed ones are left alone, the failed one routes once.
    queue.refuse = set()
    again = route.route_new_requests([repo.get(r.id, with_timeline=False) for r in requests[1:]], repo, queue,
                                     _classify, clock=lambda: NOW, clustering=_clustering)
    assert again[0].task is not None and again[1].task is None and again[1].error is None
    assert sorted(t.request_id for t in queue.sent) == sorted(r.id for r in requests)


def test_a_failed_save_after_the_send_fails_that_request_and_keeps_the_others():
    from chalicelib.adapters.memory import InMemoryRepository

    repo, queue = InMemoryRepository(), RecordingQueue()
    requests = _intake(repo, [TEXTS[0], TEXTS[2], TEXTS[3]])
    save = repo.save

    def flaky(request, **kw):
        if request.id == requests[0].id:
            raise TemporarilyUnavailable("table busy")
        return save(request, **kw)

    repo.save = flaky
    outcomes = route.route_new_requests(requests, repo, queue, _classify, clock=lambda: NOW, clustering=_clustering)
    assert isinstance(outcomes[0].error, TemporarilyUnavailable) and outcomes[1].task and outcomes[2].task
    repo.save = save
    again = route.route_new_requests([repo.get(requests[0].id, with_timeline=False)], repo, queue, _classify,
                                     clock=lambda: NOW, clustering=_clustering)
    assert again[0].task is not None
    # The re-sent task has the same id: the queue (FIFO dedupe) keeps one.
    assert sorted(t.request_id for t in queue.sent) == sorted(r.id for r in requests)
