"""With `ulakbel dev`: replying to a demo SMS request shows the SMS in moto and a `sent` event on the timeline."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.conftest import ROOT, wait_for


def test_reply_to_an_sms_request_reaches_moto_sns_and_the_timeline(town):
    t, dev_system = town
    http, token = dev_system["http"], dev_system["token"]
    agent = token("--role", "agent")
    status, created = http.call("POST", "/requests", {
        "channel": "phone", "text": f"{t.mahalle(2)[0]} mahallesinde sokak lambası yanmıyor",
        "citizen": {"phone": "0505 123 45 67"}}, token=agent)
    assert status == 201, created
    status, body = http.call("POST", f"/requests/{created['id']}/reply",
                             {"text": "Ekibimiz yarın lambayı değiştirecek."}, token=agent)
    assert status == 202 and body["channel"] == "sms", body
    message_id = body["message_id"]

    def sent_event():
        _, req = http.call("GET", f"/requests/{created['id']}", token=agent)
        return [e for e in req.get("timeline", []) if e["type"] == "outbound_status"
                and e["data"]["message_id"] == message_id and e["data"]["status"] == "sent"]

    assert wait_for(sent_event, timeout=60), "the pump should have sent the reply"
    outbox = dev_system["home"] / "outbox.json"

    def in_moto():
        if not outbox.exists():
            return None
        data = json.loads(outbox.read_text(encoding="utf-8"))
        return [m for m in data["sms"] if m["phone"] == "+905051234567"
                and m["text"] == "Ekibimiz yarın lambayı değiştirecek."]

    assert wait_for(in_moto, timeout=60), "moto's SNS should hold the SMS"
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "outbox"], cwd=ROOT, env=dev_system["env"],
                         capture_output=True, text=True, check=True)
    assert "Ekibimiz yarın lambayı değiştirecek." in out.stdout
