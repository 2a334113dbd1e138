"""The repository contract (chalicelib/domain/ports.py): transactions, conditions and versions."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput, PreconditionFailed, TrackingCodeTaken
from chalicelib.domain.inbox import InboxQuery, terms
from chalicelib.domain.models import Channel, Citizen, Location, Request, Status, TimelineEvent
from chalicelib.domain.ports import RecentOpenChange, RequestQuery

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def _request(n: int = 1, *, channel=Channel.sms, phone="+905051234567", department=None, status=Status.new,
             at=T0, nbh="Harman", public=False, due=None) -> Request:
    rid = f"01JREQ{n:06d}"
    return Request(id=rid, tracking_code=f"TLS-{n:06d}", channel=channel, channel_ref=f"ref-{n}", received_at=at,
                   text=f"Sokak lambası yanmıyor {n}", citizen=Citizen(phone=phone) if phone else None,
                   location=Location(neighbourhood=nbh), department=department, status=status, updated_at=at,
                   category="aydinlatma", public=public, due_at=due,
                   timeline=[_event(n, 0, at, "received")])


def _event(n: int, k: int, at: datetime, type_: str = "note") -> TimelineEvent:
    return TimelineEvent(id=f"01JEVT{n:06d}{k:03d}", at=at + timedelta(seconds=k), type=type_, data={"k": k})


def _moved(request: Request, **update) -> Request:
    return request.model_copy(update={"version": request.version + 1, "timeline": [], **update})


# -- create -----------------------------------------------------------------------------------------
def test_create_then_read_back_by_id_tracking_code_and_dedupe_key(repo):
    request = _request()
    repo.create(request, dedupe_key="sms#ref-1")
    for found in (repo.get(request.id), repo.get_by_tracking_code("TLS-000001"), repo.get_by_dedupe_key("sms#ref-1")):
        assert found.id == request.id and [e.type for e in found.timeline] == ["received"]
        assert found.citizen.phone == "+905051234567" and found.version == 1
    assert repo.get(request.id, with_timeline=False).timeline == []
    assert repo.get("nope") is None and repo.get_by_tracking_code("TLS-999999") is None


def test_a_repeated_delivery_returns_the_first_request_and_writes_nothing(repo):
    first = _request(1)
    repo.create(first, dedupe_key="sms#same")
    again = repo.create(_request(2), dedupe_key="sms#same")
    assert again.id == first.id
    assert repo.get(_request(2).id) is None and repo.get_by_tracking_code("TLS-000002") is None


def test_a_taken_tracking_code_is_refused_and_nothing_is_written(repo):
    repo.create(_request(1), dedupe_key=None)
    clash = _request(2).model_copy(update={"tracking_code": "TLS-000001"})
    with pytest.raises(TrackingCodeTaken):
        repo.create(clash, dedupe_key="sms#other")
    assert repo.get(clash.id) is None and repo.get_by_dedupe_key("sms#other") is None


def test_preconditions_are_decided_inside_the_creating_transaction(repo):
    done, kw = _resolved(repo)
    repo.mark_resolved(done, **kw)
    cutoff = T0 - timedelta(hours=1)
    blocking = repo.no_resolution_since("recent", "sms", "+905051234567", cutoff)
    harmless = repo.no_resolution_since("old", "sms", "+905051234567", T0 + timedelta(days=30))
    absent = repo.no_resolution_since("absent", "sms", "+905559998877", cutoff)
    request = _request(3)
    with pytest.raises(PreconditionFailed) as failed:
        repo.create(request, dedupe_key=None, preconditions=(absent, blocking))
    assert failed.value.names == {"recent"}
    assert repo.get(request.id) is None  # all or nothing
    assert repo.create(request, dedupe_key=None, preconditions=(absent, harmless)).id == request.id


def test_a_transaction_touches_each_item_once(repo):
    check = repo.no_resolution_since("a", "sms", "+905051234567", T0)
    with pytest.raises(Exception):  # DynamoDB: ValidationException, nothing written
        repo.create(_request(4), dedupe_key=None, preconditions=(check, check))
    assert repo.get(_request(4).id) is None


def _resolved(repo):
    request = _request(9, department="fen_isleri", status=Status.in_progress)
    repo.create(request, dedupe_key=None)
    done = _moved(request, status=Status.resolved, resolved_at=T0)
    return done, {"expected_version": 1, "events": [_event(9, 1, T0)], "citizen": ("sms", "+905051234567")}


# -- versions ---------------------------------------------------------------------------------------
def test_save_guards_the_version_and_appends_events_atomically(repo):
    request = _request()
    repo.create(request, dedupe_key=None)
    repo.save(_moved(request, status=Status.routed, department="fen_isleri"), expected_version=1,
              events=[_event(1, 1, T0)])
    with pytest.raises(Conflict) as stale:
        repo.save(_moved(request, status=Status.rejected), expected_version=1, events=[_event(1, 2, T0)])
    assert stale.value.details["version"] == 2 and stale.value.details["status"] == "routed"
    stored = repo.get(request.id)
    assert stored.version == 2 and stored.status is Status.routed
    assert [e.id for e in stored.timeline] == [request.timeline[0].id, _event(1, 1, T0).id]  # 2nd save left none


def test_linked_events_land_on_the_other_request_in_the_same_transaction(repo):
    a, b = _request(1), _request(2)
    repo.create(a, dedupe_key=None)
    repo.create(b, dedupe_key=None)
    repo.save(_moved(b, status=Status.duplicate, duplicate_of=a.id), expected_version=1,
              events=[_event(2, 1, T0, "duplicate_of")], linked_events=[(a.id, _event(1, 1, T0, "duplicate_linked"))])
    assert repo.get(a.id).duplicate_count == 1 and repo.get(b.id).status is Status.duplicate


def test_append_events_keeps_each_event_once(repo):
    request = _request()
    repo.create(request, dedupe_key=None)
    event = _event(1, 5, T0)
    repo.append_events(request.id, [event])
    repo.append_events(request.id, [event.model_copy(update={"data": {"changed": True}})])
    stored = repo.get(request.id)
    assert [e.data for e in stored.timeline if e.id == event.id] == [{"k": 5}] and stored.version == 1


def test_mark_resolved_remembers_the_citizens_last_resolved_request(repo):
    done, kw = _resolved(repo)
    repo.mark_resolved(done, **kw)
    assert repo.last_resolved("sms", "+905051234567") == done.id
    assert repo.last_resolved("sms", "+905550000000") is None
    with pytest.raises(Conflict):
        repo.mark_resolved(done, **kw)


def test_reopen_takes_the_messages_dedupe_key_once(repo):
    done, kw = _resolved(repo)
    repo.mark_resolved(done, **kw)
    reopened = _moved(done, status=Status.in_progress, resolved_at=None)
    repo.reopen(reopened, expected_version=2, events=[_event(9, 2, T0)], dedupe_key="sms#reply-1")
    assert repo.get_by_dedupe_key("sms#reply-1").id == done.id
    again = _moved(reopened, status=Status.in_progress)
    with pytest.raises(Exception):  # the dedupe key is taken: nothing of the transaction is written
        repo.reopen(again, expected_version=3, events=[_event(9, 3, T0)], dedupe_key="sms#reply-1")
    assert repo.get(done.id).version == 3


def test_survey_answer_is_counted_for_the_department(repo):
    done, kw = _resolved(repo)
    repo.mark_resolved(done, **kw)
    answered = _moved(done, satisfaction=4)
    repo.record_survey_answer(answered, expected_version=2, events=[_event(9, 2, T0)], score=4, at=T0)
    assert [int(a["score"]) for a in repo.survey_answers("fen_isleri")] == [4]
    assert repo.get(done.id).satisfaction == 4


# -- recent open (duplicate clustering) ----------------------------------------------------------------
def test_recent_open_item_is_edited_with_the_request_and_a_closing_save_drops_it(repo):
    a, b = _request(1), _request(2)
    for r in (a, b):
        repo.create(r, dedupe_key=None)
        repo.save(_moved(r, status=Status.routed), expected_version=1, events=[],
                  recent=RecentOpenChange("Harman", "aydinlatma", add=(r.id, r.received_at)))
    assert repo.recent_open("Harman", "aydinlatma") == {a.id: T0, b.id: T0}
    repo.save(_moved(a, version=3, status=Status.rejected), expected_version=2, events=[])
    assert repo.recent_open("Harman", "aydinlatma") == {b.id: T0}
    assert repo.recent_open("Harman", "yol") == {}


# -- queries ------------------------------------------------------------------------------------------
def test_query_picks_an_index_filters_and_pages_newest_first(repo):
    for n in range(1, 8):
        dept = "fen_isleri" if n % 2 else "temizlik"
        repo.create(_request(n, department=dept, status=Status.routed, at=T0 + timedelta(minutes=n),
                             channel=Channel.email if n == 5 else Channel.sms), dedupe_key=None)
    page = repo.query(RequestQuery(department="fen_isleri", limit=2))
    assert [r.id for r in page.items] == ["01JREQ000007", "01JREQ000005"] and page.next
    rest = repo.query(RequestQuery(department="fen_isleri", limit=2, next=page.next))
    assert [r.id for r in rest.items] == ["01JREQ000003", "01JREQ000001"]
    assert [r.id for r in repo.query(RequestQuery(channel="email")).items] == ["01JREQ000005"]
    window = repo.query(RequestQuery(since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=4)))
    assert [r.id for r in window.items] == ["01JREQ000004", "01JREQ000003", "01JREQ000002"]
    assert repo.query(RequestQuery(status="routed", neighbourhood="Harman", limit=50)).next is None


def test_headers_and_tracking_codes_in_one_batched_read(repo):
    for n in (1, 2):
        repo.create(_request(n), dedupe_key=None)
    assert [r.id for r in repo.get_headers(["01JREQ000002", "missing", "01JREQ000001"])] == \
        ["01JREQ000002", "01JREQ000001"]
    assert repo.request_ids_by_tracking_codes(["TLS-000001", "TLS-000404"]) == ["01JREQ000001"]
    assert {r.id for r in repo.get_many(["01JREQ000001", "01JREQ000002"])} == {"01JREQ000001", "01JREQ000002"}


def test_public_open311_list_holds_only_public_app_requests(repo):
    repo.create(_request(1, channel=Channel.mobile_app, public=True), dedupe_key=None)
    repo.create(_request(2, channel=Channel.mobile_app, public=False), dedupe_key=None)
    repo.create(_request(3, channel=Channel.sms, public=True), dedupe_key=None)
    found = repo.query_public(T0 - timedelta(days=1), T0 + timedelta(days=1), page_size=10, max_reads=2)
    assert [r.id for r in found] == ["01JREQ000001"]


def test_due_index_lists_open_requests_by_deadline_and_filters_a_department(repo):
    for n, dept in ((1, "fen_isleri"), (2, "temizlik"), (3, "fen_isleri")):
        repo.create(_request(n, department=dept, status=Status.routed, due=T0 + timedelta(hours=n)), dedupe_key=None)
    repo.create(_request(4, department="fen_isleri", status=Status.routed, due=T0 + timedelta(days=9)),
                dedupe_key=None)
    items, _ = repo.query_due(T0 + timedelta(hours=5))
    assert [r.id for r in items] == ["01JREQ000001", "01JREQ000002", "01JREQ000003"]
    mine, _ = repo.query_due(T0 + timedelta(hours=5), department="fen_isleri")
    assert [r.id for r in mine] == ["01JREQ000001", "01JREQ000003"]


def _inbox_world(repo) -> None:
    """Eight requests: two departments, two channels, three with a deadline (one past T0+3h), one assigned."""
    for n in range(1, 9):
        due = T0 + timedelta(hours=9 - n) if n in (2, 5, 7) else None
        request = _request(n, department="fen_isleri" if n % 2 else "temizlik", status=Status.routed,
                           at=T0 + timedelta(minutes=n), due=due, nbh="Harman" if n < 6 else "Yenidoğan",
                           channel=Channel.email if n in (3, 4) else Channel.sms)
        if n == 6:
            request = request.model_copy(update={"assignee": "staff-6", "text": "Çukurlar derin, ÇUKUR büyük"})
        repo.create(request, dedupe_key=None)


def _walk(repo, q) -> list[str]:
    """Every row of the inbox, page after page."""
    ids: list[str] = []
    for _ in range(20):
        page = repo.inbox(q)
        ids += [r.id for r in page.items]
        if not page.next:
            return ids
        q = dataclasses.replace(q, next=page.next)
    raise AssertionError("the inbox cursor never ended")


def test_inbox_sorts_filters_and_pages_over_every_match(repo):
    _inbox_world(repo)
    rid = lambda *ns: [f"01JREQ{n:06d}" for n in ns]  # noqa: E731
    assert _walk(repo, InboxQuery(limit=3)) == rid(8, 7, 6, 5, 4, 3, 2, 1)
    assert _walk(repo, InboxQuery(sort="old", limit=2)) == rid(1, 2, 3, 4, 5, 6, 7, 8)
    assert _walk(repo, InboxQuery(department="temizlik", limit=1)) == rid(8, 6, 4, 2)
    assert _walk(repo, InboxQuery(channel="email", department="fen_isleri")) == rid(3)
    assert _walk(repo, InboxQuery(neighbourhood="Yenidoğan", sort="old", limit=2)) == rid(6, 7, 8)
    # due: open requests by deadline (earliest first), then the ones without one, newest first
    assert _walk(repo, InboxQuery(sort="due", limit=2)) == rid(7, 5, 2, 8, 6, 4, 3, 1)
    assert _walk(repo, InboxQuery(sort="due", overdue_at=T0 + timedelta(hours=5))) == rid(7, 5)
    assert _walk(repo, InboxQuery(overdue_at=T0 + timedelta(hours=5), department="fen_isleri")) == rid(7, 5)
    assert _walk(repo, InboxQuery(assignee="staff-6")) == rid(6)
    assert _walk(repo, InboxQuery(terms=terms("çukur"))) == rid(6)
    assert _walk(repo, InboxQuery(terms=terms("lamba yanmiyor"), department="fen_isleri", limit=2)) == \
        rid(7, 5, 3, 1)


def test_inbox_refuses_a_cursor_it_did_not_make(repo):
    _inbox_world(repo)
    with pytest.raises(InvalidInput):
        repo.inbox(InboxQuery(next="bm90LWEtY3Vyc29y"))


# -- tasks and markers -----------------------------------------------------------------------------------
def test_first_message_owns_a_task(repo):
    assert repo.claim_task("T1", "m1") and repo.claim_task("T1", "m1")
    assert not repo.claim_task("T1", "m2")
    repo.reassign_task("T1", "m3")
    assert repo.claim_task("T1", "m3") and not repo.claim_task("T1", "m1")


def test_send_state_compare_and_set_has_one_winner(repo):
    claim = {"state": "sending", "claim": "c1"}
    assert repo.swap_send_state("M1", claim, expected=None)
    assert not repo.swap_send_state("M1", {"state": "sending", "claim": "c2"}, expected=None)
    assert not repo.swap_send_state("M1", {"state": "failed"}, expected={"state": "sending", "claim": "c9"})
    assert repo.swap_send_state("M1", {"state": "failed"}, expected={"state": "sending", "claim": "c1"})
    assert not repo.swap_send_state("M2", {"state": "x"}, expected={"state": None})  # absent: no match
    state, consents = repo.send_state("M1", [("sms", "+905051234567")])
    assert state["state"] == "failed" and consents == [None]


def test_sent_state_link_and_event_are_written_together(repo):
    request = _request()
    repo.create(request, dedupe_key=None)
    link = {"platform": "sns", "platform_message_id": "p-1", "request_id": request.id, "channel": "sms"}
    repo.record_sent("M1", {"state": "sent"}, link, events=[(request.id, _event(1, 1, T0))])
    assert repo.platform_link("sns", "p-1")["message_id"] == "M1"
    assert repo.send_state("M1", [])[0]["state"] == "sent" and len(repo.get(request.id).timeline) == 2
    with pytest.raises(Exception):  # the same event again: the whole transaction is refused
        repo.record_sent("M2", {"state": "sent"}, None, events=[(request.id, _event(1, 1, T0))])
    assert repo.send_state("M2", [])[0] == {}


def test_once_only_markers(repo):
    assert repo.mark_notification_queued("M1", "R1") and not repo.mark_notification_queued("M1", "R1")
    assert repo.mark_delivery_status("sns", "p", "delivered", "R1")
    assert not repo.mark_delivery_status("sns", "p", "delivered", "R1")
    assert repo.mark_delivery_status("sns", "p", "failed", "R1")
    slots = [repo.take_notify_slot("+905051234567", "2026-11-30", s, 1) for s in (1, 1, 2)]
    assert slots == [True, False, True]


def test_consent_survey_reply_links_and_channel_state(repo):
    repo.record_consent("sms", "+905051234567", {"opted_out_at": T0.isoformat(), "source": "twilio"})
    assert repo.consent("sms", "+905051234567")["source"] == "twilio" and repo.consent("sms", "+90") is None
    _, consents = repo.send_state("M", [("sms", "+905051234567"), ("email", "a@example.com")])
    assert consents[0]["channel"] == "sms" and consents[1] is None
    repo.open_survey("+905051234567", "R1", T0)
    pending = repo.pending_survey("+905051234567")
    repo.close_survey("+905051234567", pending, 5)
    assert repo.pending_survey("+905051234567")["answered"] is True
    repo.link_reply("email", "<m1@talas>", "R1")
    assert repo.request_replied_by("email", "<m1@talas>") == "R1" and repo.request_replied_by("email", "x") is None
    repo.save_netgsm_poll_state(T0)
    assert repo.netgsm_poll_state() == {"last_stop": T0.isoformat()}
    repo.store_api_key("d1", {"name": "app"})
    assert repo.api_key("d1")["name"] == "app" and repo.api_key("d2") is None


def test_stored_items_are_identical_in_both(repo):
    """The twin keeps the very items the schema shapes: same keys, same attributes."""
    request = _request(public=True, channel=Channel.mobile_app, due=T0 + timedelta(hours=4), status=Status.routed,
                       department="fen_isleri")
    repo.create(request, dedupe_key="mobile_app#k")
    header = repo.get_markers([("REQ#01JREQ000001", "META")])[("REQ#01JREQ000001", "META")]
    assert {k: header[k] for k in ("GSI1PK", "GSI2PK", "GSI3PK", "GSI4PK", "GSI5PK", "O311PK", "version")} == {
        "GSI1PK": "DEPT#fen_isleri", "GSI2PK": "NBH#Harman", "GSI3PK": "STATUS#routed", "GSI4PK": "DUE",
        "GSI5PK": "ALL", "O311PK": "PUBLIC", "version": 1}


def test_staff_corrections_are_stored_once_per_event_and_read_back_by_month(repo):
    """Issue 18: one item per staff correction (a retried action stores nothing new), read per month partition."""
    def correction(n: int, at: datetime) -> dict:
        return {"event_id": f"01JEVT{n:09d}", "request_id": f"01JREQ{n:06d}", "action": "forward", "actor": "lead-1",
                "at": at.isoformat(), "text": "Sokak lambası yanmıyor", "old": {"department": "fen_isleri",
                "category": "aydinlatma", "kind": None}, "new": {"department": "park_bahce"},
                "changed": ["department"], "model_version": None, "channel": "sms"}

    jan, feb, mar = T0.replace(month=1, day=31, hour=23), T0.replace(month=2, day=1), T0.replace(month=3, day=5)
    assert repo.record_correction(correction(1, jan)) is True
    assert repo.record_correction(correction(1, jan)) is False  # the same event again: stored once
    assert repo.record_correction(correction(2, feb)) is True
    assert repo.record_correction(correction(3, mar)) is True
    got = repo.corrections(jan.replace(day=1), feb)
    assert [c["request_id"] for c in got] == ["01JREQ000001", "01JREQ000002"]  # oldest first, March left out
    assert got[0]["old"] == {"department": "fen_isleri", "category": "aydinlatma", "kind": None}
    assert got[0]["new"] == {"department": "park_bahce"} and got[0]["changed"] == ["department"]
    assert "model_version" not in got[0] and "PK" not in got[0] and "type" not in got[0]
    assert [c["request_id"] for c in repo.corrections(feb, mar)] == ["01JREQ000002", "01JREQ000003"]
    assert repo.corrections(mar.replace(day=6), mar.replace(day=30)) == []


# -- the live inbox's reply feed (issue 19) -----------------------------------------------------------
def _reply(n: int, k: int, at: datetime) -> TimelineEvent:
    return TimelineEvent(id=f"01JEVT{n:06d}{k:03d}", at=at, type="citizen_reply", actor="sms",
                         data={"channel": "sms", "text": "hâlâ bozuk"})


def test_a_citizens_reply_is_in_its_departments_feed_and_everyones_in_the_same_transaction(repo):
    done, kw = _resolved(repo)  # fen_isleri
    repo.mark_resolved(done, **kw)
    other = _request(2, department="park", status=Status.routed, phone="+905059999999")
    repo.create(other, dedupe_key=None)
    t1, t2 = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    reopened = _moved(done, status=Status.in_progress, resolved_at=None, updated_at=t1)
    repo.reopen(reopened, expected_version=2, events=[_reply(1, 5, t1), _event(1, 6, t1, "reopened")],
                dedupe_key="sms#reply-a")
    repo.save(_moved(other, updated_at=t2), expected_version=1, events=[_reply(2, 5, t2)])
    repo.save(_moved(other, version=3, updated_at=t2), expected_version=2, events=[_event(2, 6, t2)])  # a note: no entry

    fen = repo.citizen_replies_since("fen_isleri", T0, 50)
    assert [(r["request_id"], r["tracking_code"], r["channel"], r["department"]) for r in fen] == [
        (done.id, done.tracking_code, "sms", "fen_isleri")]
    assert datetime.fromisoformat(fen[0]["at"]) == t1
    assert [r["request_id"] for r in repo.citizen_replies_since("park", T0, 50)] == [other.id]
    assert [r["request_id"] for r in repo.citizen_replies_since(None, T0, 50)] == [other.id, done.id]  # newest first
    # strictly after: a poll at the reply's own instant does not report it again; limit caps the read
    assert [r["request_id"] for r in repo.citizen_replies_since(None, t1, 50)] == [other.id]
    assert repo.citizen_replies_since(None, t2, 50) == []
    assert [r["request_id"] for r in repo.citizen_replies_since(None, T0, 1)] == [other.id]
    assert repo.citizen_replies_since("temizlik", T0, 50) == []


def test_a_failed_reopen_writes_no_feed_entry(repo):
    done, kw = _resolved(repo)
    repo.mark_resolved(done, **kw)
    with pytest.raises(Conflict):  # a stale version: the whole transaction, feed entries included, is refused
        repo.save(_moved(done, version=9), expected_version=7, events=[_reply(1, 5, T0 + timedelta(hours=1))])
    assert repo.citizen_replies_since(None, T0, 50) == [] and repo.citizen_replies_since("fen_isleri", T0, 50) == []
