"""/console/poll/replies: a citizen's reply on a request shown in the inbox is reported once, to staff who may
see the request, from one batched read of the shown rows (issue 19, live inbox)."""
from __future__ import annotations

import json

from tests.conftest import auth
from tests.console.helpers import create, session

PARK = "Kiçiköy parkındaki salıncak kırık, çocuklar için tehlikeli"


def _poll(client, headers, ids, after=None):
    query = "ids=" + ",".join(ids) + (f"&after={after}" if after else "")
    return client.http.get(f"/console/poll/replies?{query}", headers={**headers, "Accept": "application/json"})


def _resolved_park_sms_and_another(client, pump, phone: str, ref: str) -> tuple[dict, dict]:
    """A park SMS request (resolved by staff, so the citizen's next SMS is a reply) and an unrelated request."""
    made = create(client, PARK, f"{ref}-1", citizen={"phone": phone}, channel="sms")
    other = create(client, "Harman mahallesinde çöpler toplanmadı", f"{ref}-2")
    pump.drain()
    current = client.http.get(f"/requests/{made['id']}", headers=auth("admin")).json_body
    assert current["department"] == "park"
    r = client.http.post(f"/requests/{made['id']}/status", headers=auth("admin"),
                         body=json.dumps({"status": "resolved", "version": current["version"]}))
    assert r.status_code == 200, r.json_body
    return made, other


def test_a_citizens_reply_is_reported_for_the_rows_shown_and_only_to_who_may_see_it(client, pump, aws):
    phone = "+905321110044"
    made, other = _resolved_park_sms_and_another(client, pump, phone, "live")
    park, _ = session("department", "park")
    first = _poll(client, park, [made["id"], other["id"]])
    assert first.status_code == 200 and first.json_body["replied"] == []
    baseline = first.json_body["now"]
    # the citizen answers the resolution by SMS: intake reopens the request with a citizen_reply event
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps({
        "channel": "sms", "channel_ref": "live-3", "text": "Salıncak hâlâ kırık, kimse gelmedi",
        "citizen": {"phone": phone}}))
    assert r.status_code == 200, r.json_body  # 200: an existing request (reopened), not a new one
    reply = r.json_body
    assert reply["id"] == made["id"] and reply["status"] == "in_progress"
    seen = _poll(client, park, [made["id"], other["id"]], after=baseline.replace("+", "%2B"))
    assert [r["id"] for r in seen.json_body["replied"]] == [made["id"]]
    assert seen.json_body["replied"][0]["channel"] == "sms"
    # asked again after that answer: nothing new
    again = _poll(client, park, [made["id"]], after=seen.json_body["now"].replace("+", "%2B"))
    assert again.json_body["replied"] == []
    # another department never learns about it; a viewer may see every department
    temizlik, _ = session("department", "temizlik")
    assert _poll(client, temizlik, [made["id"]], after=baseline.replace("+", "%2B")).json_body["replied"] == []
    viewer, _ = session("viewer")
    assert len(_poll(client, viewer, [made["id"]], after=baseline.replace("+", "%2B")).json_body["replied"]) == 1


def test_poll_replies_refuses_bad_input_and_strangers(client, aws):
    viewer, _ = session("viewer")
    assert _poll(client, viewer, ["x" * 41]).status_code == 400
    assert _poll(client, viewer, ["a-b"]).status_code == 400
    assert _poll(client, viewer, [f"id{i}" for i in range(51)]).status_code == 400
    assert _poll(client, viewer, ["abc"], after="yesterday").status_code == 400
    r = client.http.get("/console/poll/replies?ids=abc")
    assert r.status_code in (401, 403)


def _poll_any(client, headers, after, ids=()):
    query = f"after={after.replace('+', '%2B')}" + (f"&ids={','.join(ids)}" if ids else "")
    return client.http.get(f"/console/poll/replies?{query}", headers={**headers, "Accept": "application/json"})


def test_a_reply_on_a_request_not_on_the_shown_page_is_reported_to_its_department_only(client, pump, aws):
    """The poll no longer depends on the rows on screen: a reply on any request the caller may see is reported
    (from the reply feed, one Query), with `shown` telling the page whether its row is there."""
    phone = "+905321110055"
    made, shown = _resolved_park_sms_and_another(client, pump, phone, "live-any")
    park, _ = session("department", "park")
    baseline = _poll_any(client, park, "2000-01-01T00:00:00+00:00").json_body["now"]
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps({
        "channel": "sms", "channel_ref": "live-any-3", "text": "Salıncak hâlâ kırık", "citizen": {"phone": phone}}))
    assert r.status_code == 200 and r.json_body["id"] == made["id"], r.json_body

    # the park page shows another request only (or none at all): the reply is still reported
    for ids in ([shown["id"]], []):
        seen = _poll_any(client, park, baseline, ids).json_body
        assert [(x["id"], x["tracking_code"], x["channel"], x["shown"]) for x in seen["replied"]] == [
            (made["id"], made["tracking_code"], "sms", False)] and seen["count"] == 1
    assert _poll_any(client, park, baseline, [made["id"]]).json_body["replied"][0]["shown"] is True
    # every department's staff member other than park's learns nothing; admins, agents and viewers see it
    for other in ("temizlik", "fen", "zabita"):
        assert _poll_any(client, session("department", other)[0], baseline).json_body["replied"] == []
    for role in ("admin", "agent", "viewer"):
        assert [x["id"] for x in _poll_any(client, session(role)[0], baseline).json_body["replied"]] == [made["id"]]
    # asked again from the answer's `now`: nothing new
    assert _poll_any(client, park, seen["now"]).json_body["replied"] == []
