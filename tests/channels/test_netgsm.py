"""Netgsm inbox poller: recorded responses, overlapping windows, content-hash dedupe, errors keep the window."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.channels.netgsm import inbound as netgsm
from tests.conftest import FIXTURES, auth

NOW = datetime(2026, 11, 27, 7, 15, tzinfo=timezone.utc)  # 10:15 Istanbul


class Recorded:
    """Replays recorded Netgsm answers in order and records what was asked."""

    def __init__(self, *names: str, status: int = 200) -> None:
        self.answers = [(status, (FIXTURES / "netgsm" / n).read_bytes()) for n in names]
        self.calls: list[dict] = []

    def __call__(self, url, headers):
        q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        self.calls.append({"url": url, "auth": headers["Authorization"], **q})
        return self.answers.pop(0)


def test_parse_recorded_responses():
    msgs = netgsm.parse_inbox(200, (FIXTURES / "netgsm/inbox_page1.json").read_bytes())
    assert [m.sender for m in msgs] == ["905321112233", "905447778899"]
    assert msgs[0].at == datetime(2026, 11, 27, 10, 2, 15, tzinfo=netgsm.TZ)
    assert netgsm.sms_command(msgs[0]).citizen.phone == "+905321112233"
    assert netgsm.parse_inbox(200, (FIXTURES / "netgsm/inbox_empty.json").read_bytes()) == []
    assert netgsm.parse_inbox(200, (FIXTURES / "netgsm/legacy_no_message.txt").read_bytes()) == []
    with pytest.raises(netgsm.NetgsmError) as err:
        netgsm.parse_inbox(200, (FIXTURES / "netgsm/inbox_auth_error.json").read_bytes())
    assert err.value.code == "30"
    page2 = netgsm.parse_inbox(200, (FIXTURES / "netgsm/inbox_page2_overlap.json").read_bytes())
    assert page2[0].content_hash == msgs[1].content_hash  # same message seen in two windows


def test_overlapping_windows_take_each_message_once(aws, client, pump):
    from chalicelib import container
    from chalicelib.usecases.consent import is_opted_out
    from chalicelib.usecases.netgsm_poll import poll

    repo = container.repository()
    transport = Recorded("inbox_page1.json", "inbox_page2_overlap.json", "inbox_auth_error.json",
                         "inbox_empty.json")
    inbox = netgsm.NetgsmInbox("8503051234", "s3cret", transport)
    first = poll(inbox, repo, window=timedelta(minutes=30), now=NOW)
    assert first == {"windows": 1, "messages": 2, "created": 2, "duplicates": 0, "opted_out": 0}
    assert transport.calls[0]["startdate"] == "27112026094500" and transport.calls[0]["stopdate"] == "27112026101500"
    assert transport.calls[0]["auth"] == "Basic ODUwMzA1MTIzNDpzM2NyZXQ="
    second = poll(inbox, repo, window=timedelta(minutes=30), now=NOW + timedelta(minutes=10))
    assert second == {"windows": 1, "messages": 3, "created": 1, "duplicates": 1, "opted_out": 1}
    assert transport.calls[1]["startdate"] == "27112026101000"  # 5 minutes of overlap
    assert is_opted_out("sms", "+905321112233", container.repository())
    with pytest.raises(netgsm.NetgsmError):
        poll(inbox, repo, window=timedelta(minutes=30), now=NOW + timedelta(minutes=20))
    # the failed window is asked again, from the same start
    poll(inbox, repo, window=timedelta(minutes=30), now=NOW + timedelta(minutes=22))
    assert transport.calls[3]["startdate"] == transport.calls[2]["startdate"] == "27112026102000"
    pump.drain()
    items = client.http.get("/requests?channel=sms", headers=auth("admin")).json_body["items"]
    assert len(items) == 3 and all(i["status"] == "routed" for i in items)


def test_scheduled_lambda_is_disabled_without_credentials_and_polls_with_them(aws, app, pump, monkeypatch):
    from chalicelib import container

    event = {"detail-type": "Scheduled Event", "source": "aws.events", "resources": [], "detail": {},
             "time": "2026-11-27T07:15:00Z", "id": "1", "region": "eu-central-1", "account": "1", "version": "0"}
    assert pump.invoke("netgsm_poll", event) == {"status": "disabled"}
    monkeypatch.setenv("NETGSM_USERCODE", "8503051234")
    monkeypatch.setenv("NETGSM_PASSWORD", "s3cret")
    container.reset()
    container.override("netgsm_transport", Recorded("inbox_auth_error.json", "inbox_page1.json"))
    assert pump.invoke("netgsm_poll", event) == {"status": "error", "code": "30"}
    out = pump.invoke("netgsm_poll", event)
    assert out["status"] == "ok" and out["created"] == 2
