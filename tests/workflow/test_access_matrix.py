"""Role × endpoint: who may do what, and a department never learns about another's requests (404).

Changes are sent with a stale version: a caller who passes every access check gets 409 (and changes
nothing), so one request serves the whole matrix. Notes carry no version and are appended for real.
"""
from __future__ import annotations

import json

import pytest

from .conftest import LEAD, OTHER, PARK, STAFF, hh

ROLES = {
    "admin": dict(role="admin", sub="admin-1"),
    "agent": dict(role="agent", sub="agent-1"),
    "viewer": dict(role="viewer", sub="viewer-1"),
    "lead": LEAD,
    "staff": STAFF,
    "other_dept": OTHER,
}

STALE = 999
ENDPOINTS = {
    # name: (method, path, body)
    "get": ("GET", "/requests/{id}", None),
    "timeline": ("GET", "/requests/{id}/timeline", None),
    "notes": ("POST", "/requests/{id}/notes", {"text": "iç not"}),
    "status": ("POST", "/requests/{id}/status", {"status": "in_progress", "version": STALE}),
    "assign": ("POST", "/requests/{id}/assign", {"assignee": "staff-ali", "version": STALE}),
    "forward": ("POST", "/requests/{id}/forward", {"department": "fen", "note": "fen işi", "version": STALE}),
    "reclassify": ("POST", "/requests/{id}/reclassify", {"kind": "talep", "version": STALE}),
    "forward_outside": ("POST", "/requests/{id}/forward",
                        {"institution": "KASKİ", "external_ref": "K-1", "note": "su", "version": STALE}),
    "merge": ("POST", "/requests/{id}/merge", {"into": "{other}", "version": STALE}),
    "unmerge": ("POST", "/requests/{id}/unmerge", {"version": STALE}),
    "overdue": ("GET", "/departments/temizlik/overdue", None),
    "me": ("GET", "/me/requests", None),
}

#            admin agent viewer lead staff other_dept
EXPECTED = {
    "get":             (200, 200, 200, 200, 200, 404),
    "timeline":        (200, 200, 200, 200, 200, 404),
    "notes":           (201, 201, 403, 201, 201, 404),
    "status":          (409, 409, 403, 409, 409, 404),
    "assign":          (409, 403, 403, 409, 403, 404),
    "forward":         (409, 409, 403, 409, 403, 404),
    "reclassify":      (409, 409, 403, 409, 403, 404),
    "forward_outside": (409, 409, 403, 409, 403, 404),
    "merge":           (409, 409, 403, 409, 403, 404),
    "unmerge":         (409, 409, 403, 409, 403, 404),
    "overdue":         (200, 200, 200, 200, 200, 404),
    "me":              (200, 200, 403, 200, 200, 200),
}
CASES = [(ep, role, EXPECTED[ep][i]) for ep in ENDPOINTS for i, role in enumerate(ROLES)]


@pytest.fixture
def two_requests(make):
    return make(ref="m1"), make(PARK, ref="m2")


def _call(client, ep, headers, rid, other):
    method, path, body = ENDPOINTS[ep]
    path = path.format(id=rid)
    if body is not None:
        body = json.loads(json.dumps(body).replace("{other}", other))
    if method == "GET":
        return client.http.get(path, headers=headers)
    return client.http.post(path, headers=headers, body=json.dumps(body))


def test_role_endpoint_matrix(client, two_requests):
    temizlik, park = two_requests
    assert (temizlik["department"], park["department"]) == ("temizlik", "park")
    failures = []
    for ep, role, expected in CASES:
        got = _call(client, ep, hh(ROLES[role]), temizlik["id"], park["id"])
        if got.status_code != expected:
            failures.append(f"{ep} as {role}: {got.status_code} (expected {expected}) {got.json_body}")
    assert failures == []


def test_nothing_changed_by_refused_calls(client, two_requests):
    temizlik, _ = two_requests
    for ep, role, expected in CASES:
        if expected in (403, 404, 409):
            _call(client, ep, hh(ROLES[role]), temizlik["id"], temizlik["id"])
    after = client.http.get(f"/requests/{temizlik['id']}", headers=hh(ROLES["admin"])).json_body
    assert after["version"] == temizlik["version"]
    assert {e["type"] for e in after["timeline"]} == {"received", "routed"}


@pytest.mark.parametrize("ep", sorted(ENDPOINTS))
def test_every_endpoint_needs_a_token(client, two_requests, ep):
    got = _call(client, ep, {"Content-Type": "application/json"}, two_requests[0]["id"], two_requests[0]["id"])
    assert got.status_code == 401


def test_department_cannot_merge_into_another_departments_request(client, two_requests):
    temizlik, park = two_requests
    got = client.http.post(f"/requests/{temizlik['id']}/merge", headers=hh(LEAD),
                           body=json.dumps({"into": park["id"], "version": temizlik["version"]}))
    assert got.status_code == 404
    # and a department lists only its own requests
    mine = client.http.get("/requests", headers=hh(OTHER)).json_body["items"]
    assert [r["id"] for r in mine] == [park["id"]]
