"""Issue 4 end to end on `ulakbel dev`: a signed Twilio SMS over real HTTP and `ulakbel import cimer FILE`
both land on GET /requests with their channel and a department task, in each municipality (its taxonomy
says which department a rubbish or playground complaint reaches)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import FIXTURES
from tests.e2e.conftest import ROOT, signed_twilio, wait_for


SMS_SID = "SM5f3c8a2b9d1e4f6a7b8c9d0e1f2a3b4c"  # the recorded fixture's MessageSid


def test_signed_twilio_sms_and_cimer_import_reach_the_screen(town):
    t, dev_system = town
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
        # only this test's requests: the same server also holds other tests' SMS
        items = [i for i in http.call("GET", f"/requests?channel={channel}", token=admin)[1]["items"]
                 if i["channel_ref"] == SMS_SID or i["channel_ref"].startswith("2026/48151")]
        # "duplicate" = clustered into a similar open report (same department task, with a count); "routed"
        # without a department = the triage queue (the model was not sure: a person decides)
        return len(items) == n and all(i["status"] in ("routed", "duplicate") for i in items) and items

    def seen(channel):
        return [(i["channel_ref"], i["status"], i["department"])
                for i in http.call("GET", f"/requests?channel={channel}", token=admin)[1]["items"]]

    sms = wait_for(lambda: routed("sms", 1), timeout=60)
    assert sms, seen("sms")
    assert sms[0]["department"] == t.department_of("cop_toplama")  # its tracking code goes out once, in the `received` SMS
    cimer = wait_for(lambda: routed("cimer", 3), timeout=60)
    assert cimer, seen("cimer")
    assert {i["department"] for i in cimer} >= {t.department_of("konteyner"), t.department_of("oyun_grubu")}
