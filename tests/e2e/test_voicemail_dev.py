"""Issue 22 end to end on `ulakbel dev`: a signed Twilio voicemail callback over real HTTP; the dev server fetches
the recording (local stand-in for api.twilio.com), stores it in (moto's) S3, starts a tr-TR Transcribe job, and its
pump plays EventBridge's "Transcribe Job State Change" with the fixture transcript: the request is re-routed."""
from __future__ import annotations

from tests.e2e.conftest import signed_twilio, wait_for


def test_signed_voicemail_is_transcribed_and_rerouted_by_the_dev_server(town):
    t, dev_system = town
    http, token = dev_system["http"], dev_system["token"]
    body, sig = signed_twilio(dev_system, "/webhooks/twilio/voice/recording", "twilio/voice_recording.txt")
    status, twiml = http.call("POST", "/webhooks/twilio/voice/recording", raw=body, headers={
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
    assert got["department"] == t.department_of("cop_toplama") and "çöpler" in got["text"]
    assert [e["type"] for e in got["timeline"]].count("transcription") == 1
