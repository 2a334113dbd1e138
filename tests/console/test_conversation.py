"""The request view as a conversation: bubbles with delivery marks, notes apart, events as Turkish sentences
(never a dict), canned replies with placeholders, the staff picker, merge by tracking code with suggestions,
forward to an outside institution, the reply box's channel limits."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from chalicelib.web.conversation import conversation, sentence, sms_segments
from tests.conftest import token
from tests.console.helpers import create, form_post, session, text_of

SALINCAK = "Mevlana mahallesindeki parkta salıncak kırılmış, çocuklar için tehlikeli"


def lead(department, sub):
    tok = token("department", department, sub=sub, lead=True)
    from chalicelib.handlers.console import csrf_for

    return {"Cookie": f"ulakbel_session={tok}", "Host": "127.0.0.1:8000"}, csrf_for(tok)


def view(client, headers, rid):
    r = client.http.get(f"/console/requests/{rid}", headers=headers)
    assert r.status_code == 200, text_of(r.body)[:400]
    return text_of(r.body)


def version_of(client, rid):
    return client.http.get(f"/requests/{rid}", headers={"Authorization": f"Bearer {token('admin')}"}).json_body


def test_reply_note_and_delivery_marks_in_the_conversation(client, pump, aws):
    from chalicelib import container
    from chalicelib.domain.outbound import DeliveryUpdate
    from chalicelib.adapters.schema.outbound import state_pk
    from chalicelib.usecases.outbound import record_delivery_updates

    made = create(client, SALINCAK, "cv-1", citizen={"name": "Ayşe Yılmaz", "phone": "0532 111 22 33"})
    pump.drain()
    headers, csrf = lead("park", "park-sefi")
    page = view(client, headers, made["id"])
    # canned replies carry the tracking code, department name and due date
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page.split('id="reply-canned"')[1].split("</select>")[0])
    filled = [v for v, _ in options if made["tracking_code"] in v]
    assert filled and any("Park ve Bahçeler Müdürlüğü" in v for v, _ in options)
    assert not any("{takip_kodu}" in v or "{son_tarih}" in v for v, _ in options)
    # the reply box names the route and its limits
    assert 'data-limit="1600"' in page and 'data-sms="1"' in page and "SMS" in page
    r = form_post(client, f"/console/requests/{made['id']}/reply", headers, {"csrf": csrf, "text": filled[0]})
    assert r.status_code == 303, text_of(r.body)
    form_post(client, f"/console/requests/{made['id']}/note", headers, {"csrf": csrf, "text": "Malzeme depoda var"})
    pump.drain()
    page = view(client, headers, made["id"])
    staff = re.search(r'<li class="bubble staff" data-kind="staff" data-delivery="([a-z]+)">', page)
    assert staff and staff.group(1) == "sent" and "✓" in page
    assert re.search(r'<li class="bubble note" data-kind="note">\s*<div class="who-line"><span>İç not', page)
    assert "Malzeme depoda var" in page
    # the platform reports delivery → ✓✓ on the same bubble
    timeline = version_of(client, made["id"])["timeline"]
    message_id = next(e["data"]["message_id"] for e in timeline if e["type"] == "outbound" and e["data"]["kind"] == "reply")
    state = container.repository().get_marker(state_pk(message_id), "STATE")
    assert state and state["state"] == "sent", state
    assert record_delivery_updates([DeliveryUpdate(platform=state["platform"],
                                                   platform_message_id=state["platform_message_id"],
                                                   status="delivered", at=datetime(2026, 3, 2, tzinfo=timezone.utc))],
                                   container.repository()) == 1
    page = view(client, headers, made["id"])
    assert 'data-delivery="delivered"' in page and "✓✓" in page
    # system events are sentences, never dicts or raw codes
    conv = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "Park ve Bahçeler Müdürlüğü birimine yönlendirildi" in conv
    assert "{'" not in conv and "outbox_request" not in conv and "outbound_status" not in conv


def test_assign_from_the_department_staff_picker(client, pump, aws):
    made = create(client, SALINCAK, "cv-2")
    pump.drain()
    headers, csrf = lead("park", "park-sefi")
    page = view(client, headers, made["id"])
    picker = page.split('id="assign-assignee"')[1].split("</select>")[0]
    assert 'value="park-1"' in picker and "İsmail Ünal" in picker and "temizlik" not in picker
    r = form_post(client, f"/console/requests/{made['id']}/assign", headers,
                  {"csrf": csrf, "assignee": "park-1", "version": version_of(client, made["id"])["version"]})
    assert r.status_code == 303, text_of(r.body)
    page = view(client, headers, made["id"])
    assert re.search(r'data-testid="assignee">Park Ekip 1<', page)
    assert "park-sefi talebi park-1 kişisine atadı" in page


def test_merge_by_tracking_code_with_duplicate_suggestions(client, pump, aws):
    # Same park, different problems: the router must not mark them duplicates itself (that is the staff's
    # call here), yet they are suggested to each other as open requests of the same mahalle and category.
    texts = [SALINCAK, "Mevlana parkında çimler kurudu, sulama yok",
             "Mevlana parkındaki banklar kırılmış, oturacak yer kalmadı",
             "Mevlana parkının çitleri yıkılmış, bakımsız kaldı", "Mevlana parkı çok kirli, çöp kutuları dolu"]
    made = []
    for n, text in enumerate(texts):
        made.append(create(client, text, f"cv-m{n}", location={"neighbourhood": "Mevlana"}))
        pump.drain()
    headers, csrf = lead("park", "park-sefi")
    docs = [version_of(client, m["id"]) for m in made]
    by_cat: dict = {}
    for d in docs:
        if d["status"] != "duplicate" and d.get("department") == "park":
            by_cat.setdefault(d["category"], []).append(d)
    group = max(by_cat.values(), key=len)
    assert len(group) >= 2, [(d["category"], d["status"]) for d in docs]
    survivor, dup = group[0], group[-1]
    page = view(client, headers, dup["id"])
    table = page.split('data-testid="suggestions"')[1]
    rows = re.findall(r'<tr data-suggestion="([^"]+)">.*?<td>%(\d+)</td>', table, re.S)
    # exactly the other open requests of the same neighbourhood and category, each with a similarity
    assert sorted(c for c, _ in rows) == sorted(d["tracking_code"] for d in group if d is not dup)
    assert all(0 <= int(p) <= 100 for _, p in rows)
    percents = [int(p) for _, p in rows]
    assert percents == sorted(percents, reverse=True)
    # unknown code: a clear 404 page, nothing merged
    r = form_post(client, f"/console/requests/{dup['id']}/merge", headers,
                  {"csrf": csrf, "tracking_code": "ZZZZ-ZZZZ", "version": dup["version"]})
    assert r.status_code == 404 and "takip kodu" in text_of(r.body)
    typed = survivor["tracking_code"].lower().replace("-", " ")  # as staff type it
    r = form_post(client, f"/console/requests/{dup['id']}/merge", headers,
                  {"csrf": csrf, "tracking_code": typed, "version": dup["version"]})
    assert r.status_code == 303, text_of(r.body)
    merged = version_of(client, dup["id"])
    assert merged["status"] == "duplicate" and merged["merged_into"] == survivor["id"]
    page = view(client, headers, survivor["id"])
    assert f"{dup['tracking_code']} numaralı talep bu talebe birleştirildi" in page


def test_forward_to_an_outside_institution_from_the_list(client, pump, aws):
    made = create(client, "Talas Anayurt caddesinde su borusu patladı, yol su içinde", "cv-6")
    pump.drain()
    headers, csrf = session("admin")
    page = view(client, headers, made["id"])
    assert "KASKİ Genel Müdürlüğü" in page.split('id="forward-institution"')[1].split("</select>")[0]
    v = version_of(client, made["id"])["version"]
    r = form_post(client, f"/console/requests/{made['id']}/forward", headers,
                  {"csrf": csrf, "department": "fen", "institution": "KASKİ Genel Müdürlüğü", "note": "x", "version": v})
    assert r.status_code == 400  # an institution goes with dis_kurum only
    r = form_post(client, f"/console/requests/{made['id']}/forward", headers,
                  {"csrf": csrf, "department": "dis_kurum", "institution": "KASKİ Genel Müdürlüğü",
                   "external_ref": "KSK-2026-1", "note": "Ana hat arızası", "version": v})
    assert r.status_code == 303, text_of(r.body)
    page = view(client, headers, made["id"])
    assert "talebi dış kuruma iletti: KASKİ Genel Müdürlüğü (kurum referansı KSK-2026-1)" in page


LABELS = {"departments": {"park": "Park ve Bahçeler Müdürlüğü"}, "categories": {}, "statuses": {"routed": "Yönlendirildi"},
          "channels": {"sms": "SMS"}}


def test_every_known_and_unknown_event_reads_as_one_sentence():
    events = ["received", "routed", "status_changed", "assigned", "forwarded", "merged", "unmerged", "duplicate_of",
              "duplicate_linked", "escalation_warning", "escalated", "reopened", "survey_answered", "task_not_queued",
              "legal_deadline", "something_new"]
    for t in events:
        tr, en = sentence({"type": t, "actor": "admin:a", "data": {"before": {"x": 1}, "after": {"y": 2},
                                                                   "nested": {"a": [1]}}}, LABELS)
        assert tr.endswith(".") and "{" not in tr and "[" not in tr, (t, tr)
    doc = {"text": "t", "channel": "sms", "timeline": [
        {"type": "outbound", "id": "1", "data": {"kind": "reply", "message_id": "m", "text": "hi", "status": "queued"}},
        {"type": "outbound_status", "id": "2", "data": {"message_id": "m", "status": "delivered"}},
        {"type": "outbound_status", "id": "3", "data": {"message_id": "m", "status": "sent"}},  # late report
        {"type": "outbound", "id": "4", "data": {"kind": "reply", "message_id": "n", "text": "x"}},
        {"type": "outbound_status", "id": "5", "data": {"message_id": "n", "status": "failed", "reason": "opt-out"}}]}
    staff = [i for i in conversation(doc, LABELS) if i["kind"] == "staff"]
    assert [(s["delivery"], s["mark"]) for s in staff] == [("delivered", "✓✓"), ("failed", "✗")]
    assert staff[1]["reason"] == "opt-out"


def test_sms_segments_count_turkish_letters_as_unicode():
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("ı" * 70) == 1 and sms_segments("ı" * 71) == 2 and sms_segments("") == 0
