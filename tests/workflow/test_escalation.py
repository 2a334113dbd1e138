"""Escalation sweep over the sparse due index: each step once, even with two sweeps running at once."""
from __future__ import annotations

import threading
from datetime import timedelta

from chalicelib import container
from chalicelib.domain.models import Status, utcnow
from chalicelib.usecases.escalation import sweep

from .conftest import LEAD, OTHER, h, hh


def _set_due(request_id, due):
    repo = container.repository()
    r = repo.get(request_id, with_timeline=False)
    repo.save(r.model_copy(update={"due_at": due, "version": r.version + 1}), expected_version=r.version, events=[])


_WRITE = threading.Lock()


class RacingRepo:
    """Both sweeps read the index and the request before either writes: the worst interleaving.

    DynamoDB evaluates a conditional write atomically per item; moto's server does not (its check and its
    write can interleave across threads), so the two writes reach moto one after the other. Both are still
    based on the same, by then stale, version: the condition is what must stop the second one.
    """

    def __init__(self, repo, barrier):
        self._repo, self._barrier = repo, barrier

    def save(self, *args, **kwargs):
        with _WRITE:
            return self._repo.save(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._repo, name)

    def get(self, request_id, *, with_timeline=True):
        out = self._repo.get(request_id, with_timeline=with_timeline)
        if not with_timeline:
            self._barrier.wait()
        return out


def _race(now):
    barrier = threading.Barrier(2)
    results = []

    def run():
        results.append(sweep(RacingRepo(container.repository(), barrier), container.task_queue(), now=now,
                             warn_hours=24))

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return results


def _events(client, rid):
    return [e["type"] for e in client.http.get(f"/requests/{rid}/timeline", headers=h("admin")).json_body["items"]]


def test_concurrent_sweeps_warn_once_then_escalate_once(client, make):
    req = make()
    now = utcnow()
    _set_due(req["id"], now + timedelta(hours=3))
    results = _race(now)
    assert sorted(len(r.warned) for r in results) == [0, 1]
    assert sum(r.lost_races for r in results) == 1
    assert _events(client, req["id"]).count("escalation_warning") == 1

    later = now + timedelta(hours=5)
    results = _race(later)
    assert sorted(len(r.escalated) for r in results) == [0, 1]
    types = _events(client, req["id"])
    assert types.count("escalated") == 1 and types.count("escalation_warning") == 1
    got = client.http.get(f"/requests/{req['id']}", headers=h("admin")).json_body
    assert got["escalation_level"] == 2
    esc = [e for e in got["timeline"] if e["type"] == "escalated"][0]
    assert esc["data"]["before"] == {"escalation_level": 1} and esc["data"]["after"] == {"escalation_level": 2}
    assert esc["data"]["escalated_to"] == "ozel_kalem"
    # ozel_kalem has exactly one task for it, however many sweeps sent one
    tasks = client.http.get("/departments/ozel_kalem/tasks?max=10", headers=h("admin")).json_body["tasks"]
    assert [t["request_id"] for t in tasks] == [req["id"]]
    # a third sweep changes nothing
    again = sweep(container.repository(), container.task_queue(), now=later + timedelta(minutes=5))
    assert again.warned == [] and again.escalated == []
    assert _events(client, req["id"]).count("escalated") == 1


def test_far_deadlines_are_left_alone_and_closed_requests_leave_the_index(client, make):
    far = make(ref="far")
    _set_due(far["id"], utcnow() + timedelta(days=5))
    done = make({"channel": "phone", "text": "Harman mah. Gül sokakta sokak lambası yanmıyor"}, ref="done")
    v = client.http.get(f"/requests/{done['id']}", headers=h("admin")).json_body["version"]
    _set_due(done["id"], utcnow() - timedelta(hours=1))
    assert client.http.post(f"/requests/{done['id']}/status", headers=h("admin"),
                            body=f'{{"status": "resolved", "version": {v + 1}}}').status_code == 200
    result = sweep(container.repository(), container.task_queue(), now=utcnow())
    assert result.warned == [] and result.escalated == []
    assert "escalation_warning" not in _events(client, far["id"])


def test_overdue_endpoint_and_scheduled_sweep_through_the_pump(client, make, pump):
    req = make()
    _set_due(req["id"], utcnow() - timedelta(hours=2))
    listed = client.http.get("/departments/temizlik/overdue", headers=hh(LEAD))
    assert listed.status_code == 200 and [r["id"] for r in listed.json_body["items"]] == [req["id"]]
    assert client.http.get("/departments/temizlik/overdue", headers=hh(OTHER)).status_code == 404
    assert client.http.get("/departments/park/overdue", headers=hh(OTHER)).json_body["items"] == []
    assert client.http.get("/departments/nope/overdue", headers=h("admin")).status_code == 404
    assert pump.pump_schedules(force=True) >= 1  # the pump runs the app's schedules, as EventBridge would
    types = _events(client, req["id"])
    assert types.count("escalated") == 1


def test_escalation_losing_to_a_resolution_leaves_no_task_for_ozel_kalem(client, make):
    """Same class as forward: the escalation task goes out before the versioned write; when the write loses to
    staff resolving the request, ozel_kalem must not get a task for it."""
    req = make()
    now = utcnow()
    _set_due(req["id"], now - timedelta(hours=1))
    repo = container.repository()

    class ResolvedMeanwhile:
        def save(self, request, *, expected_version, events, **kw):
            cur = repo.get(request.id, with_timeline=False)
            repo.save(cur.model_copy(update={"status": Status.resolved, "version": cur.version + 1}),
                      expected_version=cur.version, events=[])
            return repo.save(request, expected_version=expected_version, events=events, **kw)

        def __getattr__(self, name):
            return getattr(repo, name)

    result = sweep(ResolvedMeanwhile(), container.task_queue(), now=now, warn_hours=24)
    assert result.escalated == [] and result.lost_races == 1
    tasks = client.http.get("/departments/ozel_kalem/tasks?max=10", headers=h("admin")).json_body["tasks"]
    assert tasks == []
