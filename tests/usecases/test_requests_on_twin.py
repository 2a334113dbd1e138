"""Intake, routing, staff workflow, resolution and reopen: the use cases on the in-memory twin."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain.errors import Conflict, InvalidTransition, NotFound
from chalicelib.domain.models import Classification, Location, Status, StatusChange
from chalicelib.usecases import intake, requests, route, workflow
from tests.usecases.conftest import ADMIN, LEAD, NOW, STAFF_PARK, sms


def _classify(text, **_):
    return Classification(category="yol_bakim", department="fen", confidence=0.9, explanation="test")


def _routed(repo, queue, text="Çukur var", ref="r1", **kw):
    request, created = intake.intake(sms(text, ref, **kw), repo)
    assert created
    task = route.route_new_request(request, repo, queue, _classify, clock=lambda: NOW, clustering=None)
    return repo.get(request.id), task


def test_intake_is_once_per_provider_message(repo):
    first, created = intake.intake(sms("Sokak lambası yanmıyor", "SM1"), repo)
    again, created_again = intake.intake(sms("Sokak lambası yanmıyor", "SM1"), repo)
    assert created and not created_again and again.id == first.id
    assert repo.get_by_tracking_code(first.tracking_code).id == first.id


def test_routing_sends_one_task_and_marks_the_request_routed(repo, queue):
    request, task = _routed(repo, queue)
    assert request.status is Status.routed and request.department == "fen" and request.version == 2
    assert [t.task_id for t in queue.sent] == [task.task_id] and task.department == "fen"
    assert route.route_new_request(request, repo, queue, _classify, clustering=None) is None  # no longer new


def test_routing_that_loses_a_race_claims_its_task_so_the_lease_drops_it(repo, queue):
    request, _ = intake.intake(sms("Çukur", "r9"), repo)
    moved = request.model_copy(update={"status": Status.routed, "department": "park", "version": 2, "timeline": []})
    repo.save(moved, expected_version=1, events=[])
    assert route.route_new_request(request, repo, queue, _classify, clock=lambda: NOW, clustering=None) is None
    assert not repo.claim_task(route.task_id_for(request), "late-copy")


def test_assign_forward_and_version_conflicts(repo, queue):
    request, _ = _routed(repo, queue)
    assigned = workflow.assign(repo, LEAD, request.id, workflow.AssignBody(assignee="ekip-3", version=2),
                               clock=lambda: NOW)
    assert assigned.assignee == "ekip-3" and assigned.version == 3
    with pytest.raises(Conflict):
        workflow.assign(repo, LEAD, request.id, workflow.AssignBody(assignee="ekip-4", version=2))
    with pytest.raises(NotFound):  # another department's request does not exist for park staff
        requests.visible_request(repo, STAFF_PARK, request.id)
    forwarded = workflow.forward(repo, queue, LEAD, request.id,
                                 workflow.ForwardBody(department="park", note="Park alanı", version=3),
                                 clock=lambda: NOW)
    assert forwarded.department == "park" and forwarded.assignee is None
    assert queue.sent[-1].department == "park"
    assert not repo.claim_task(f"{request.id}-1", "old-copy")  # the old department's task is acknowledged


def test_merge_and_unmerge_write_both_timelines(repo, queue):
    a, _ = _routed(repo, queue, "Çöp alınmadı", "a")
    b, _ = _routed(repo, queue, "Çöp yine alınmadı", "b", phone="+905059998877")
    merged = workflow.merge(repo, ADMIN, b.id, workflow.MergeBody(into=a.id, version=b.version), clock=lambda: NOW)
    assert merged.status is Status.duplicate and merged.merged_into == a.id
    assert [e.type for e in repo.get(a.id).timeline][-1] == "merged"
    back = workflow.unmerge(repo, ADMIN, b.id, workflow.UnmergeBody(version=merged.version), clock=lambda: NOW)
    assert back.status is Status.routed and back.merged_into is None


def test_a_resolved_sms_request_is_reopened_by_the_citizens_reply(repo, queue):
    request, _ = _routed(repo, queue)
    resolved = requests.change_status(repo, ADMIN, request.id, StatusChange(status=Status.resolved, version=2))
    assert resolved.status is Status.resolved
    assert repo.last_resolved("sms", "+905051234567") == request.id
    reply, created = intake.intake(sms("Hâlâ düzelmedi", "r2"), repo)
    assert not created and reply.id == request.id and reply.status is Status.in_progress
    assert [e.type for e in reply.timeline][-2:] == ["citizen_reply", "reopened"]
    again, created_again = intake.intake(sms("Hâlâ düzelmedi", "r2"), repo)  # redelivery: nothing new
    assert not created_again and again.version == reply.version


def test_a_new_subject_after_the_window_is_a_new_request(repo, queue):
    request, _ = _routed(repo, queue)
    requests.change_status(repo, ADMIN, request.id, StatusChange(status=Status.resolved, version=2))
    later = sms("Başka bir sorun", "r3", received_at=NOW + timedelta(days=400))
    fresh, created = intake.intake(later, repo)
    assert created and fresh.id != request.id


def test_a_bare_rating_never_reopens(repo, queue):
    request, _ = _routed(repo, queue)
    requests.change_status(repo, ADMIN, request.id, StatusChange(status=Status.resolved, version=2))
    rating, created = intake.intake(sms("4", "r4"), repo)
    assert created and rating.id != request.id
    assert repo.get(request.id).status is Status.resolved


def test_closed_requests_cannot_be_assigned(repo, queue):
    request, _ = _routed(repo, queue)
    requests.change_status(repo, ADMIN, request.id, StatusChange(status=Status.rejected, version=2))
    with pytest.raises(InvalidTransition):
        workflow.assign(repo, LEAD, request.id, workflow.AssignBody(assignee="x", version=3))


def test_duplicate_clustering_state_follows_the_request(repo, queue):
    request, _ = intake.intake(sms("Çukur", "c1", location=Location(neighbourhood="Harman")), repo)
    route.route_new_request(request, repo, queue, _classify, clock=lambda: NOW, clustering=None)
    assert set(repo.recent_open("Harman", "yol_bakim")) == {request.id}
    requests.change_status(repo, ADMIN, request.id, StatusChange(status=Status.rejected, version=2))
    assert repo.recent_open("Harman", "yol_bakim") == {}
