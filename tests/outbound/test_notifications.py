"""Citizens are told: received (tracking code), routed (department name), resolved (note), then a survey."""
from __future__ import annotations

import json

from chalicelib import container
from tests.conftest import auth
from tests.outbound.conftest import sms_sent


def _change(client, rid, status, note=None):
    cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
    r = client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                         body=json.dumps({"status": status, "note": note, "version": cur["version"]}))
    assert r.status_code == 200, r.body


def test_status_notifications_by_sms_with_tracking_code_department_and_note(client, pump, make_request):
    before = len(sms_sent())
    req = make_request("sms", text="Harman mahallesinde sokak lambası yanmıyor", phone="+905051234567")
    pump.drain()
    pump.drain()
    mine = [t for p, t in sms_sent()[before:] if p == "+905051234567"]
    assert any(req.tracking_code in t and "alındı" in t for t in mine), mine
    routed = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body
    from chalicelib.usecases.notify import _department_name

    assert any("iletildi" in t and _department_name(routed["department"]) in t for t in mine), mine
    _change(client, req.id, "resolved", "Lamba 29 Kasım'da değiştirildi.")
    pump.drain()
    pump.drain()
    mine = [t for p, t in sms_sent()[before:] if p == "+905051234567"]
    assert any("çözüldü" in t and "Lamba 29 Kasım'da değiştirildi." in t for t in mine), mine
    assert any("1 (çok kötü)" in t for t in mine), mine
    # A redelivered stream record sends nothing again: one notification per template.
    tl = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["timeline"]
    templates = [e["data"].get("template") for e in tl if e["type"] == "outbound"]
    assert sorted(templates) == ["received", "resolved", "routed", "survey"]


def test_templates_are_data_with_english_second(tmp_path, monkeypatch):
    from chalicelib.usecases import notify

    tr = notify.render("received", "tr", municipality="Talas Belediyesi", tracking_code="AB2C-3DEF", track_url="u")
    en = notify.render("received", "en", municipality="Talas Belediyesi", tracking_code="AB2C-3DEF", track_url="u")
    assert "Takip kodu: AB2C-3DEF" in tr and "Tracking code: AB2C-3DEF" in en
    assert notify.render_message("received", "email", municipality="T", tracking_code="C", track_url="u") \
        .index("alındı") < notify.render_message("received", "email", municipality="T", tracking_code="C",
                                                  track_url="u").index("received")
    custom = tmp_path / "t.yaml"
    custom.write_text("received:\n  tr: 'Merhaba {{ tracking_code }}'\n  en: 'Hello {{ tracking_code }}'\n",
                      encoding="utf-8")
    monkeypatch.setenv("ULAKBEL_TEMPLATES_FILE", str(custom))
    assert notify.render("received", "tr", tracking_code="X") == "Merhaba X"


def test_survey_answer_is_stored_and_counted_not_a_new_request(client, pump, make_request):
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake

    req = make_request("sms", text="Tablakaya'da kaldırım işgali", phone="+905301112299")
    pump.drain()
    _change(client, req.id, "resolved", "Zabıta ekibi kaldırımı açtı.")
    pump.drain()
    answer = IntakeCommand(channel=Channel.sms, text=" 4 ", channel_ref="SMans1",
                           citizen=Citizen(phone="+905301112299"))
    stored, created = intake(answer, container.repository())
    assert created is False and stored.id == req.id and stored.satisfaction == 4
    # a second digit from the same number is a new message again (the survey is answered)
    again, created_again = intake(answer.model_copy(update={"channel_ref": "SMans2", "text": "5"}),
                                  container.repository())
    assert created_again is True and again.id != req.id
    dept = stored.department
    r = client.http.get(f"/departments/{dept}/satisfaction", headers=auth("admin"))
    assert r.json_body["answers"] == 1 and r.json_body["counts"]["4"] == 1 and r.json_body["mean"] == 4.0


def test_digit_without_pending_survey_is_an_ordinary_request(make_request, aws):
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake
    from chalicelib.usecases.survey import parse_score

    stored, created = intake(IntakeCommand(channel=Channel.sms, text="3", channel_ref="x1",
                                           citizen=Citizen(phone="+905559990011")), container.repository())
    assert created is True and stored.satisfaction is None
    assert [parse_score(t) for t in ("5", " 1.", "6", "0", "5 yıldız", "")] == [5, 1, None, None, None, None]


def _survey_links(pump, address):
    """The five score links of the survey e-mail moto's SES accepted for this address."""
    import re

    from tests.outbound.conftest import emails_sent

    from email import message_from_string, policy

    bodies = []
    for m in emails_sent():
        if address in str(m.destinations):
            mime = message_from_string(m.raw_data, policy=policy.default)
            bodies.append(mime.get_body(preferencelist=("plain",)).get_content())
    links = [u for b in bodies for u in re.findall(r"https?://\S+/survey/\S+", b)]
    return sorted(set(links))


def test_email_survey_link_is_signed_scored_1_to_5_resolved_only_and_once(client, pump, make_request):
    from urllib.parse import parse_qs, urlsplit

    req = make_request("email", text="Yol yarım kaldı", ref="<e1@x.org>", email="ali@example.com.tr")
    pump.drain()
    assert _survey_links(pump, "ali@example.com.tr") == []  # not resolved: no survey yet
    _change(client, req.id, "resolved", "Asfalt tamamlandı.")
    pump.drain()
    pump.drain()
    links = _survey_links(pump, "ali@example.com.tr")
    scores = sorted(parse_qs(urlsplit(u).query)["score"][0] for u in links)
    assert scores == ["1", "2", "3", "4", "5"], links  # once sent as `score=` (empty), which stored 0
    link = next(u for u in links if u.endswith("score=4"))
    path = link[link.index("/survey/"):]
    base = path[:path.index("&score=")]
    for bad in ("", "0", "9", "-1", "4.0", "x", "44"):
        r = client.http.get(f"{base}&score={bad}")
        assert r.status_code == 400, (bad, r.body)
    assert client.http.get(base).status_code == 400
    assert client.http.get(path.replace("sig=", "sig=0")).status_code == 404
    stored = client.http.get(f"/requests/{req.id}", headers=auth("admin"))
    assert stored.status_code == 200 and stored.json_body["satisfaction"] is None  # nothing stored
    r = client.http.get(path)
    assert r.status_code == 200 and r.json_body["satisfaction"] == 4
    assert client.http.get(path.replace("score=4", "score=1")).status_code == 409  # once
    assert client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["satisfaction"] == 4


def test_survey_link_refused_before_resolution(client, pump, make_request):
    from chalicelib.domain.models import utcnow
    from chalicelib.usecases.notify import signed_query

    req = make_request("email", text="Park bakımsız", ref="<e2@x.org>", email="veli@example.com.tr")
    pump.drain()
    query = signed_query(container.outbound_settings().link_key, "survey", req.tracking_code, utcnow())
    r = client.http.get(f"/survey/{req.tracking_code}?{query}&score=5")
    assert r.status_code == 409, r.body
    track = signed_query(container.outbound_settings().link_key, "track", req.tracking_code, utcnow())
    assert client.http.get(f"/survey/{req.tracking_code}?{track}&score=5").status_code == 404  # wrong purpose
    assert client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["satisfaction"] is None


def test_redelivered_stream_event_queues_no_second_notification(make_request, aws):
    from chalicelib.domain.models import TimelineEvent
    from chalicelib.usecases import notify, outbound

    req = make_request("sms", text="Çöpler toplanmadı", phone="+905051234567")
    repo = container.repository()

    class Queue:
        def __init__(self):
            self.sent = []

        def send(self, m):
            self.sent.append(m)

    q = Queue()
    event = TimelineEvent(id="01JEVT", at=req.received_at, type="received", data={})
    for _ in range(3):  # the stream delivers the same record three times
        assert notify.on_event(req.id, event, repo, q, base_url="https://x", link_key="k") == ["received"]
    assert len({m.message_id for m in q.sent}) == 1
    events = [e for e in repo.get(req.id).timeline if e.type == "outbound"]
    assert len(events) == 1 and events[0].data["template"] == "received"

    class Sms:
        calls = 0

        def send(self, m):
            Sms.calls += 1
            from chalicelib.domain.outbound import SendResult

            return SendResult("sns", "x")

    for m in q.sent:
        outbound.send(m, repo, {"sms": Sms()})
    assert Sms.calls == 1


def test_resolved_reopened_and_resolved_again_gets_a_second_resolution_notice(client, pump, make_request):
    """Message ids were `<request>.resolved`: the second resolution collided with the first and was dropped."""
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases.intake import intake

    phone = "+905051112233"
    before = len(sms_sent())
    req = make_request("sms", text="Esentepe'de su borusu patladı", phone=phone, ref="sm-reo-1")
    pump.drain()
    _change(client, req.id, "resolved", "Boru onarıldı.")
    pump.drain()
    pump.drain()
    reopened, created = intake(IntakeCommand(channel=Channel.sms, text="Yine su akıyor, onarım tutmadı",
                                             channel_ref="sm-reo-2", citizen=Citizen(phone=phone)),
                               container.repository())
    assert created is False and reopened.id == req.id and reopened.status.value != "resolved"
    pump.drain()
    _change(client, req.id, "resolved", "Boru yeniden onarıldı.")
    pump.drain()
    pump.drain()
    resolved = [t for p, t in sms_sent()[before:] if p == phone and "çözüldü" in t]
    assert len(resolved) == 2, resolved
    assert "Boru yeniden onarıldı." in resolved[1]
    tl = client.http.get(f"/requests/{req.id}", headers=auth("admin")).json_body["timeline"]
    ids = [e["data"]["message_id"] for e in tl if e["type"] == "outbound" and e["data"].get("template") == "resolved"]
    assert len(ids) == len(set(ids)) == 2
    acks = [t for p, t in sms_sent()[before:] if p == phone and "alındı" in t]
    surveys = [t for p, t in sms_sent()[before:] if p == phone and "1 (çok kötü)" in t]
    assert len(acks) == 1 and len(surveys) == 1  # one acknowledgement and one survey per request
