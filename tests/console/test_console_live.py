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


def test_a_citizens_reply_is_reported_for_the_rows_shown_and_only_to_who_may_see_it(client, pump, aws):
    phone = "+905321110044"
    made = create(client, PARK, "live-1", citizen={"phone": phone}, channel="sms")
    other = create(client, "Harman mahallesinde çöpler toplanmadı", "live-2")
    pump.drain()
    current = client.http.get(f"/requests/{made['id']}", headers=auth("admin")).json_body
    assert current["department"] == "park"
    r = client.http.post(f"/requests/{made['id']}/status", headers=auth("admin"),
                         body=json.dumps({"status": "resolved", "version": current["version"]}))
    assert r.status_code == 200, r.json_body
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
