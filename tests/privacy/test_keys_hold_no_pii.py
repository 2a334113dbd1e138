"""No phone number, e-mail, API key, client address or platform id inside any DynamoDB key (issue 17).

Every key the application sends to DynamoDB passes the adapter seam (chalicelib.adapters.aws.client), so
the test records every call while personal data goes through every path that writes a marker — Open311
filing with an Idempotency-Key, notifications (daily cap), resolution (survey marker), an SMS survey answer,
STOP (opt-out), tracking look-ups (rate-limit counters), the Open311 rate limits, WhatsApp, erasure — and
then checks each key attribute (PK/SK and the index keys) and each Query key value. No Scan is needed: the
keys the application uses are exactly the keys it sent.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from tests.conftest import auth
from tests.support.aws_calls import recording

PHONE = "+905327778899"
EMAIL = "gizli.vatandas@example.org"
WA_ID = "905336667788"
TC = "10000000146"
KEY_ATTR = re.compile(r"^(PK|SK|GSI\d(PK|SK)|RETAIN(PK|SK)|O311(PK|SK))$")


def forbidden(api_key: str) -> list[str]:
    return [PHONE, PHONE[1:], "0" + PHONE[3:], PHONE[3:], EMAIL, EMAIL.split("@")[0], WA_ID, WA_ID[2:], TC,
            api_key, "127.0.0.1", "idem-" + EMAIL]


def key_values(call) -> list[str]:
    """Every key attribute value in a DynamoDB call body, and the values a Query's key condition uses."""
    out: list[str] = []

    def walk(node, in_values=False):
        if isinstance(node, dict):
            for k, v in node.items():
                if KEY_ATTR.match(k) and isinstance(v, dict) and "S" in v:
                    out.append(v["S"])
                elif k == "ExpressionAttributeValues" and call.operation == "Query":
                    out.extend(x["S"] for x in v.values() if isinstance(x, dict) and "S" in x)
                else:
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(call.body)
    return out


def test_no_personal_data_in_any_dynamodb_key(client, pump, monkeypatch):
    from chalicelib import container
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.usecases import consent
    from chalicelib.usecases.intake import intake
    from chalicelib.usecases.open311 import issue_api_key

    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311", "60/600")
    monkeypatch.setenv("ULAKBEL_RATE_LIMIT_OPEN311_READ", "60/60")
    container.reset()
    api_key = issue_api_key(container.repository(), "Talas Mobil", container.settings().open311_key_pepper)
    with recording() as calls:
        body = urlencode({"api_key": api_key, "service_code": "yol_bakim", "description": "Çukur var",
                          "phone": PHONE, "email": EMAIL, "first_name": "Gizli", "lat": "38.6920", "long": "35.5480"})
        r = client.http.post("/open311/v2/requests.json", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": "idem-" + EMAIL})
        assert r.status_code == 200, r.body
        code = json.loads(r.body)[0]["service_request_id"]
        assert client.http.get(f"/open311/v2/requests/{code}.json").status_code == 200
        pump.drain()
        pump.drain()
        rid = client.http.get("/requests?channel=mobile_app", headers=auth("admin")).json_body["items"][0]["id"]
        cur = client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body
        client.http.post(f"/requests/{rid}/status", headers=auth("admin"),
                         body=json.dumps({"status": "resolved", "version": cur["version"]}))
        pump.drain()
        pump.drain()
        repo = container.repository()
        intake(IntakeCommand(channel=Channel.sms, text="5", channel_ref="SM-survey-1",
                             citizen=Citizen(phone=PHONE)), repo)  # the survey answer
        consent.opt_out(repo, "sms", PHONE, source="test")
        intake(IntakeCommand(channel=Channel.whatsapp, text="Su kesik", channel_ref="wamid.1",
                             citizen=Citizen(platform_id=WA_ID, name="Gizli Kişi")), repo)
        intake(IntakeCommand(channel=Channel.e_devlet, text="Dilekçe", channel_ref="ED-1",
                             citizen=Citizen(tc_kimlik_no=TC)), repo)
        client.http.get(f"/track/{code}?phone_last4={PHONE[-4:]}")
        client.http.get(f"/track/{code}?phone_last4=0000")
        pump.drain()
        r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"phone": PHONE}))
        assert r.status_code == 200, r.json_body
    dynamo = [c for c in calls.calls if c.service == "dynamodb"]
    ops = {c.operation for c in dynamo}
    assert {"TransactWriteItems", "PutItem", "UpdateItem", "GetItem", "Query"} <= ops, ops
    keys = [v for c in dynamo for v in key_values(c)]
    assert len(keys) > 50
    prefixes = {k.split("#", 1)[0] for k in keys}
    assert {"REQ", "TRACK", "INBOUND", "CITIZEN", "RATE", "NOTIFYCAP", "SURVEY", "OPTOUT", "OPEN311KEY"} <= prefixes
    for value in forbidden(api_key):
        leaked = [k for k in keys if value in k]
        assert not leaked, (value, leaked[:3])
