"""Open311 (file, read back, API keys) and the analytics dashboard on the in-memory twin and an in-memory
analytics store: the use cases' decisions without moto."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.auth import Principal
from chalicelib.domain.analytics import Cell, Filters
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.open311.form import ServiceRequestForm
from chalicelib.usecases import analytics, intake, open311
from chalicelib.usecases.analytics_counters import deltas
from tests.usecases.conftest import ADMIN, NOW, sms

PEPPER = "pepper-for-tests"


def _form(**kw) -> ServiceRequestForm:
    base = dict(service_code="cop_toplama", lat=38.69, long=35.55, description="Konteyner taştı, çöpler yerde",
                phone="+905321112233")
    return ServiceRequestForm(**{**base, **kw})


def test_an_open311_report_is_filed_once_per_idempotency_key_and_read_back_scrubbed(repo):
    filed = open311.file_request(repo, _form(), app="app", idempotency_key="k1")
    again = open311.file_request(repo, _form(), app="app", idempotency_key="k1")
    assert filed.created and not again.created and again.request.id == filed.request.id
    shown = open311.get_request(repo, filed.request.tracking_code.lower())
    assert shown["service_code"] == "cop_toplama" and "+905321112233" not in str(shown)
    listed = open311.list_requests(repo, {"service_request_id": filed.request.tracking_code})
    assert [r["service_request_id"] for r in listed] == [filed.request.tracking_code]


def test_only_public_app_requests_are_readable_through_open311(repo):
    private, _ = intake.intake(sms("Sokak lambası yanmıyor", "SM-private"), repo)
    with pytest.raises(NotFound):
        open311.get_request(repo, private.tracking_code)
    written = dict(repo.items)
    with pytest.raises(NotFound):  # an unknown service_code (the Open311 spec's 404)
        open311.file_request(repo, _form(service_code="no_such_service"), app="app")
    with pytest.raises(InvalidInput):
        open311.file_request(repo, _form(lat=None, long=None, address_string=None), app="app")
    assert repo.items == written  # validated before anything is written


def test_an_issued_api_key_is_stored_only_as_its_hash_and_verifies(repo):
    key = open311.issue_api_key(repo, "belediye-app", PEPPER)
    assert not any(key in str(v) for v in repo.items.values())
    assert open311.verify_api_key(repo, key, lambda: PEPPER) == "belediye-app"
    with pytest.raises(open311.InvalidApiKey):
        open311.verify_api_key(repo, key + "x", lambda: PEPPER)


class CellStore:
    """The analytics store port over a dict of cells, filled from the counters' own deltas."""

    def __init__(self) -> None:
        self.counters: dict[Cell, dict[str, int]] = {}

    def apply(self, old, new) -> None:
        for cell, change in deltas(old, new).items():
            into = self.counters.setdefault(cell, {})
            for k, v in change.items():
                into[k] = into.get(k, 0) + v

    def cells(self, filters: Filters):
        return [(c, v) for c, v in self.counters.items() if filters.accepts(c)]


def test_the_dashboard_counts_each_request_in_its_cell_and_a_department_sees_only_its_own(repo):
    store = CellStore()
    made = []
    for n, dept in enumerate(("fen", "fen", "park")):
        request, _ = intake.intake(sms(f"Talep {n}", f"SM-a{n}", received_at=NOW + timedelta(minutes=n)), repo)
        routed = request.model_copy(update={"department": dept, "category": "yol_bakim"})
        store.apply(None, routed)
        made.append(routed)
    store.apply(made[0], made[0].model_copy(update={"department": "park"}))  # forwarded: moves cells
    filters = Filters(date(2026, 11, 1), date(2026, 12, 31))
    everything = analytics.dashboard(store, ADMIN, filters, now=NOW)
    assert everything["totals"]["count"] == 3
    assert {d["department"]: d["count"] for d in everything["departments"]} == {"fen": 1, "park": 2}
    lead = Principal(sub="lead-fen", role="department", department="fen", lead=True)
    mine = analytics.dashboard(store, lead, Filters(date(2026, 11, 1), date(2026, 12, 31), department="park"),
                               now=NOW)
    assert mine["totals"]["count"] == 1 and [d["department"] for d in mine["departments"]] == ["fen"]


DEVICE = {"endpoint": "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b", "expirationTime": None,
          "keys": {"p256dh": "BDxfN2CWmT4X5p0IU-MXL1PhT8fFHPwvpLPJz7XUOFnrndh2slLmQPse4qHUPsvwPZgK-tPx4fmuy8PuvoNZXtg",
                   "auth": "tBHItJI5svbpez7KI4CCXg"}}


def test_an_app_device_subscribes_once_with_consent_and_is_forgotten_when_gone(repo):
    from chalicelib.usecases import push

    filed = open311.file_request(repo, _form(), app="app", idempotency_key="push-1").request
    body = push.PushSubscriptionBody(service_request_id=filed.tracking_code, subscription=DEVICE, consent=True)
    now = filed.received_at + timedelta(minutes=1)
    first = push.subscribe(repo, body, allow_loopback=False, now=now)
    assert push.subscribe(repo, body, allow_loopback=False, now=now) == first  # the same device again
    assert push.subscription_of(repo, filed.id, first["subscription_id"])["endpoint"] == DEVICE["endpoint"]
    assert [e.type for e in repo.get(filed.id).timeline].count("push_subscribed") == 1
    with pytest.raises(InvalidInput):
        push.subscribe(repo, body.model_copy(update={"consent": False}), allow_loopback=False, now=now)
    private, _ = intake.intake(sms("Sokak lambası yanmıyor", "SM-push"), repo)
    with pytest.raises(NotFound):  # only the app's own requests, and not a tracking code to probe with
        push.subscribe(repo, body.model_copy(update={"service_request_id": private.tracking_code}),
                       allow_loopback=False, now=now)
    push.forget(repo, filed.id, first["subscription_id"])
    assert push.subscription_of(repo, filed.id, first["subscription_id"]) is None


def test_the_public_page_hides_small_counts(repo):
    from datetime import datetime, timezone

    from chalicelib.domain.models import Location

    store = CellStore()
    recent = datetime.now(timezone.utc) - timedelta(days=1)  # the public page reads the last 90 days from today
    for n in range(7):
        request, _ = intake.intake(sms(f"Talep {n}", f"SM-p{n}", received_at=recent), repo)
        store.apply(None, request.model_copy(update={
            "department": "fen", "category": "yol_bakim",
            "location": Location(neighbourhood="Mevlana" if n < 5 else "Harman")}))
    data, charts = analytics.public_page(store, days=90, now=NOW, use_cache=False)
    rows = {r["neighbourhood"]: r for r in data["neighbourhoods"]}
    assert data["min_count"] == analytics.PUBLIC_MIN_COUNT == 5
    assert rows["Harman"]["suppressed"] and rows["Harman"]["count"] is None  # 2 requests: hidden
    assert not rows["Mevlana"]["suppressed"] and rows["Mevlana"]["count"] == 5
    assert all(w["count"] is None or w["count"] >= 5 for w in charts["weekly"])  # a small week is hidden
