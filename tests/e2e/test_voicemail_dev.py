"""Issue 22 end to end on `ulakbel dev`: a signed Twilio voicemail callback over real HTTP; the dev server fetches
the recording (local stand-in for api.twilio.com), stores it in (moto's) S3, starts a tr-TR Transcribe job, and its
pump plays EventBridge's "Transcribe Job State Change" with the fixture transcript: the request is re-routed."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

from chalicelib.channels.twilio.inbound import compute_signature
from tests.conftest import FIXTURES
from tests.e2e.conftest import wait_for


def test_signed_voicemail_is_transcribed_and_rerouted_by_the_dev_server(dev_system):
    http, token, home = dev_system["http"], dev_system["token"], dev_system["home"]
    secret = json.loads((home / "dev-secrets.json").read_text())["TWILIO_AUTH_TOKEN"]
    body = (FIXTURES / "twilio/voice_recording.txt").read_text()
    url = f"http://127.0.0.1:{dev_system['port']}/webhooks/twilio/voice/recording"
    sig = compute_signature(url, parse_qs(body, keep_blank_values=True), secret)
    status, twiml = http.call("POST", "/webhooks/twilio/voice/recording", raw=body.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
    assert status == 200 and "Takip kodunuz" in twiml
    admin = token("--role", "admin")

    def transcribed():
        items = http.call("GET", "/requests?channel=phone", token=admin)[1]["items"]
        mine = [i for i in items if i["channel_ref"] == "CA3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c"]
        if not mine:
            return None
        full = http.call("GET", f"/requests/{mine[0]['id']}", token=admin)[1]
        return full if any(e["type"] == "rerouted" for e in full["timeline"]) else None

    got = wait_for(transcribed, timeout=90, interval=1.0)
    assert got, "no re-route within 90 s"
    assert got["department"] == "temizlik" and "çöpler" in got["text"]
    assert [e["type"] for e in got["timeline"]].count("transcription") == 1
