"""Issue 4 end to end on `ulakbel dev`: a signed Twilio SMS over real HTTP and `ulakbel import cimer FILE`
both land on GET /requests with their channel and a department task."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES
from tests.e2e.conftest import ROOT, signed_twilio, wait_for


def test_signed_twilio_sms_and_cimer_import_reach_the_screen(dev_system):
    http, token = dev_system["http"], dev_system["token"]
    body, sig = signed_twilio(dev_system, "/webhooks/twilio/sms", "twilio/sms_inbound.txt")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _ = http.call("POST", "/webhooks/twilio/sms", raw=body, headers={**form, "X-Twilio-Signature": "bad"})
    assert status == 403
    status, twiml = http.call("POST", "/webhooks/twilio/sms", raw=body,
                              headers={**form, "X-Twilio-Signature": sig})
    assert status == 200 and "<Response/>" in twiml, twiml  # acknowledged once, by the `received` notification

    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "import", "cimer",
                          str(FIXTURES / "cimer/basvurular.csv"), "--url", http.base],
                         cwd=ROOT, env=dev_system["env"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr  # two bad rows are reported, the rest imported
    assert "3 yeni" in out.stdout and "satır/row 3" in out.stdout

    admin = token("--role", "admin")

    def routed(channel, n):
        items = http.call("GET", f"/requests?channel={channel}", token=admin)[1]["items"]
        # "duplicate" = clustered into a similar open report (same department task, with a count); "routed"
        # without a department = the triage queue (the model was not sure: a person decides)
        return len(items) == n and all(i["status"] in ("routed", "duplicate") for i in items) and items

    def seen(channel):
        return [(i["channel_ref"], i["status"], i["department"])
                for i in http.call("GET", f"/requests?channel={channel}", token=admin)[1]["items"]]

    sms = wait_for(lambda: routed("sms", 1), timeout=60)
    assert sms, seen("sms")
    assert sms[0]["department"] == "temizlik"  # its tracking code goes out once, in the `received` SMS
    cimer = wait_for(lambda: routed("cimer", 3), timeout=60)
    assert cimer, seen("cimer")
    assert {i["department"] for i in cimer} >= {"temizlik", "park"}
