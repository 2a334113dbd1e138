"""The console's use cases on the in-memory twin: the inbox (now real in the twin), the new-request poll,
bulk actions, merge suggestions and the next statuses."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.auth import Principal
from chalicelib.domain.models import Classification
from chalicelib.usecases import console, intake, route
from tests.usecases.conftest import ADMIN, NOW, sms

PARK = Principal(sub="park-1", role="department", department="park")
PARK_LEAD = Principal(sub="lead-park", role="department", department="park", lead=True)


def _routed(repo, queue, text: str, ref: str, department: str, minutes: int, category: str = "park_bakim"):
    request, _ = intake.intake(sms(text, ref, received_at=NOW + timedelta(minutes=minutes)), repo)
    found = Classification(category=category, department=department, confidence=0.9, neighbourhood="Mevlana",
                           explanation="test")
    route.route_new_request(request, repo, queue, lambda *_a, **_k: found, clock=lambda: NOW, clustering=None)
    return repo.get(request.id)


def _world(repo, queue):
    return [_routed(repo, queue, "Parktaki salıncak kırık", "r1", "park", 1),
            _routed(repo, queue, "Çöp konteyneri dolu", "r2", "temizlik", 2, "cop_toplama"),
            _routed(repo, queue, "Parkta salıncak kırılmış, tehlikeli", "r3", "park", 3)]


def test_the_inbox_lists_newest_first_and_a_department_sees_only_its_own(repo, queue):
    first, rubbish, last = _world(repo, queue)
    page = console.inbox(repo, ADMIN, console.InboxFilters(), now=NOW + timedelta(hours=1))
    assert [r["id"] for r in page.items] == [last.id, rubbish.id, first.id] and page.next is None
    assert page.newest == last.received_at.isoformat()
    mine = console.inbox(repo, PARK, console.InboxFilters(department="temizlik"), now=NOW)
    assert [r["id"] for r in mine.items] == [last.id, first.id]  # the department filter is forced to its own
    found = console.inbox(repo, ADMIN, console.InboxFilters(q="SALINCAK", sort="old"), now=NOW)
    assert [r["id"] for r in found.items] == [first.id, last.id]


def test_the_poll_counts_only_newer_visible_requests(repo, queue):
    first, _, last = _world(repo, queue)
    assert console.count_newer(repo, ADMIN, first.received_at) == 2
    assert console.count_newer(repo, PARK, first.received_at) == 1
    assert console.count_newer(repo, ADMIN, last.received_at) == 0


def test_bulk_assign_reports_what_it_could_not_do(repo, queue):
    first, rubbish, last = _world(repo, queue)
    refused = console.bulk(repo, queue, PARK, [first.id], "assign", "park-1")
    assert refused["done"] == [] and "lead" in refused["failed"][0]["message"]  # only a lead assigns
    result = console.bulk(repo, queue, PARK_LEAD, [first.id, rubbish.id, last.id, first.id], "assign", "park-1")
    assert sorted(result["done"]) == sorted([first.tracking_code, last.tracking_code])
    assert [f["id"] for f in result["failed"]] == [rubbish.id]  # another department's request: not found
    assert repo.get(first.id).assignee == "park-1" and repo.get(rubbish.id).assignee is None


def test_merge_suggestions_are_open_lookalikes_of_the_same_place_and_category(repo, queue):
    first, _, last = _world(repo, queue)
    similar = console.merge_suggestions(repo, ADMIN, last, similarity=lambda a, b: 0.8)
    assert [s["id"] for s in similar] == [first.id] and similar[0]["similarity"] == 0.8
    assert console.next_statuses(last) and "routed" not in console.next_statuses(last)
    assert last.due_at is not None and console.is_overdue(last, last.due_at + timedelta(minutes=1))
    assert not console.is_overdue(last, last.due_at - timedelta(minutes=1))
