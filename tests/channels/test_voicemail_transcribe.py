"""Issue 22: Turkish voicemail via Amazon Transcribe (tr-TR), from the signed Twilio callback to a routed request.

moto stands in for S3, SQS and Transcribe; moto's Transcribe writes no transcript, so the local runner (the pump)
writes the fixture transcript of the test recording and emits the EventBridge "Transcribe Job State Change" event,
as `ulakbel dev` does. The recording is fetched through the injected transport with the account's credentials.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from chalicelib.channels.twilio import inbound as twilio
from chalicelib.channels.twilio import recording
from chalicelib.domain.outbound import HttpResponse, PermanentSendError, TransientSendError
from tests.conftest import FIXTURES, auth

TOKEN = "twilio-test-token-0123456789"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
SID = "RE1a2b3c4d5e6f708192a3b4c5d6e7f809"
BASE = "https://abc123.execute-api.eu-central-1.amazonaws.com/api"
URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}"
TRANSCRIPT = json.loads((FIXTURES / f"voicemail/{SID}.transcript.json").read_text(encoding="utf-8"))
SPOKEN = TRANSCRIPT["results"]["transcripts"][0]["transcript"]


@pytest.fixture
def voicemail_env(aws, monkeypatch):
    from chalicelib import container
    from chalicelib.adapters.local_voicemail import LocalTwilioRecordings

    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("PUBLIC_BASE_URL", BASE)
    container.reset()
    transport = LocalTwilioRecordings()
    container.override("recording_transport", transport)
    yield transport
    container.reset()


def _post(client, body: str, *, path="/webhooks/twilio/voice/recording"):
    params = parse_qs(body, keep_blank_values=True)
    sig = twilio.compute_signature(BASE + path, params, TOKEN)
    return client.http.post(path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "X-Twilio-Signature": sig})


def _only_phone_request(client):
    items = client.http.get("/requests?channel=phone", headers=auth("admin")).json_body["items"]
    assert len(items) == 1
    return client.http.get(f"/requests/{items[0]['id']}", headers=auth("admin")).json_body


def _recorded_and_queued(client, pump) -> tuple[dict, str]:
    """The fixture voicemail taken in and its Transcribe job started, the transcript not yet there:
    (the request, the job's name)."""
    rec = (FIXTURES / "twilio/voice_recording.txt").read_text()
    assert _post(client, rec).status_code == 200
    pump.pump_stream()
    pump.pump_queues()
    request = _only_phone_request(client)
    return request, next(e for e in request["timeline"] if e["type"] == "transcription_started")["data"]["job"]


def _tasks(queue_key: str) -> list[dict]:
    from chalicelib import resources
    from chalicelib.adapters.aws import client as aws_client

    sqs = aws_client("sqs")
    url = sqs.get_queue_url(QueueName=resources.task_queue("local", queue_key).name)["QueueUrl"]
    out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in out.get("Messages", [])]


def _transcribe_event(name: str, status: str = "COMPLETED") -> dict:
    return {"version": "0", "id": "9f0e6d4c-0000-4000-8000-000000000001", "detail-type": "Transcribe Job State Change",
            "source": "aws.transcribe", "account": "123456789012", "time": "2026-03-10T09:15:00Z",
            "region": "eu-central-1", "resources": [],
            "detail": {"TranscriptionJobName": name, "TranscriptionJobStatus": status}}


@pytest.fixture
def log_lines(_pii_log_guard, monkeypatch):
    """Every log line as the real handlers format it (the suite's log guard sees them all)."""
    lines: list[str] = []
    scan = _pii_log_guard.scan
    monkeypatch.setattr(_pii_log_guard, "scan", lambda text, source: (lines.append(text), scan(text, source))[1])
    return lines


def test_turkish_voicemail_goes_from_the_signed_callback_to_a_rerouted_request(voicemail_env, client, pump,
                                                                             log_lines):
    from chalicelib import resources
    from chalicelib.adapters.aws import client as aws_client

    rec = (FIXTURES / "twilio/voice_recording.txt").read_text()
    status = (FIXTURES / "twilio/voice_recording_status.txt").read_text()
    early = _post(client, status)  # the status callback may come first: it has no caller number, creates nothing
    assert early.status_code == 200 and early.body.decode() == twilio.TWIML_EMPTY
    assert client.http.get("/requests?channel=phone", headers=auth("admin")).json_body["items"] == []
    first = _post(client, rec)
    assert first.status_code == 200 and "Takip kodunuz" in first.body.decode()
    assert _post(client, rec).status_code == 200  # Twilio redelivers: same request, same job
    assert _post(client, status).status_code == 200  # the status callback after it: the same job again
    pump.drain()

    got = _only_phone_request(client)
    assert got["citizen"]["phone"] == "+905339876543"  # the caller, from the <Record> action callback
    assert got["text"] == SPOKEN  # the placeholder gave way to the Turkish transcript
    assert got["department"] == "temizlik" and got["status"] == "routed"
    assert got["category"] == "cop_toplama" and got["location"]["neighbourhood"] == "Harman"
    types = [e["type"] for e in got["timeline"]]
    assert types.count("routed") == 1 and types.count("rerouted") == 1 and types.count("transcription") == 1
    assert types.count("transcription_started") == 1  # two callbacks, one Transcribe job
    routed = next(e for e in got["timeline"] if e["type"] == "routed")
    assert routed["data"]["queue"] != "temizlik"  # "Sesli mesaj bırakıldı" could only go to triage
    rerouted = next(e for e in got["timeline"] if e["type"] == "rerouted")
    assert rerouted["visibility"] == "public" and rerouted["data"]["after"]["queue"] == "temizlik"
    assert rerouted["data"]["before"]["queue"] == routed["data"]["queue"]
    transcription = next(e for e in got["timeline"] if e["type"] == "transcription")
    assert transcription["data"]["language"] == "tr-TR" and "çöpler üç gündür" in transcription["data"]["text"]
    assert "Sesli mesaj bırakıldı" in transcription["data"]["previous_text"]

    # fetched with the account's credentials, only from api.twilio.com, as .wav; then deleted at Twilio, once
    gets = [(url, auth_) for method, url, auth_ in voicemail_env.requests if method == "GET"]
    assert gets and all(auth_ and url == URL + ".wav" for url, auth_ in gets)
    deletes = [(url, auth_) for method, url, auth_ in voicemail_env.requests if method == "DELETE"]
    assert deletes == [(URL + ".json", True)] and voicemail_env.deleted == {SID}
    assert types.count("recording_deleted") == 1 and types.index("transcription_started") < types.index(
        "recording_deleted")
    # stored privately in the media bucket, byte for byte; the job is Turkish and writes back to that bucket
    bucket = resources.bucket_name("local", "media")
    s3 = aws_client("s3")
    key = f"voicemail/{got['id']}/{SID}.wav"
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == (FIXTURES / f"voicemail/{SID}.wav").read_bytes()
    assert s3.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"
    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not any("AllUsers" in json.dumps(g) or "AuthenticatedUsers" in json.dumps(g) for g in grants)
    job_name = transcription["data"]["job"]
    job = aws_client("transcribe").get_transcription_job(TranscriptionJobName=job_name)["TranscriptionJob"]
    assert job["LanguageCode"] == "tr-TR" and job["Media"]["MediaFileUri"] == f"s3://{bucket}/{key}"

    # the caller hears where it went: a second "routed" notification, now naming the cleaning department
    routed_sms = [e for e in got["timeline"] if e["type"] == "outbound" and e["data"].get("template") == "routed"]
    assert len(routed_sms) == 2 and "Temizlik" in routed_sms[-1]["data"]["text"]

    # staff of the department listen through a short-lived signed link; another department sees nothing
    listen = client.http.get(f"/requests/{got['id']}/voicemail", headers=auth("department", "temizlik"))
    assert listen.status_code == 302 and key in listen.headers["Location"] and "Expires=" in listen.headers["Location"]
    assert client.http.get(f"/requests/{got['id']}/voicemail", headers=auth("department", "park")).status_code == 404
    assert client.http.get(f"/requests/{got['id']}/voicemail").status_code == 401

    # the temizlik department has exactly one task, carrying the transcript
    tasks = _tasks("temizlik")
    assert len(tasks) == 1 and tasks[0]["request_id"] == got["id"] and "çöpler" in tasks[0]["summary"]

    # EventBridge delivers at least once: the same event again re-routes nothing, writes nothing
    again = pump.invoke("voicemail_transcribed", _transcribe_event(job_name))
    assert again["status"] == "duplicate"
    after = _only_phone_request(client)
    assert after["version"] == got["version"] and len(after["timeline"]) == len(got["timeline"])
    assert len(_tasks("temizlik")) == 1

    # the recording URL never reaches a log line
    out = "\n".join(log_lines)  # the log lines of every step above
    assert "voicemail transcript" in out and "api.twilio.com" not in out and SID not in out


def test_a_request_staff_already_touched_gets_the_transcript_but_keeps_its_routing(voicemail_env, client, pump):
    rec = (FIXTURES / "twilio/voice_recording.txt").read_text()
    assert _post(client, rec).status_code == 200
    pump.pump_stream()  # routed (triage) and the job queued; the transcript not yet there
    pump.pump_queues()
    got = _only_phone_request(client)
    note = client.http.post(f"/requests/{got['id']}/notes", headers=auth("agent"),
                            body=json.dumps({"text": "Vatandaş geri aranacak"}))
    assert note.status_code in (200, 201), note.body
    pump.drain()
    after = _only_phone_request(client)
    transcription = next(e for e in after["timeline"] if e["type"] == "transcription")
    assert transcription["data"]["rerouted"] is False and "çöpler" in transcription["data"]["text"]
    assert not any(e["type"] == "rerouted" for e in after["timeline"])
    assert after["department"] == got["department"] and after["text"] == got["text"]


def test_concurrent_deliveries_of_the_transcript_reroute_once(voicemail_env, client, pump):
    """Two copies of the event read the same version: the version condition lets one write; the loser finds the
    winner's transcription event and stops (its task had the same id: FIFO dedupe keeps one)."""
    from chalicelib import container
    from chalicelib.usecases import voicemail

    request, name = _recorded_and_queued(client, pump)
    repo, queue, classify = container.repository(), container.task_queue(), container.classifier()
    from datetime import datetime, timezone

    at = datetime(2026, 3, 10, 9, 15, tzinfo=timezone.utc)

    class Racing:
        raced = None

        def __getattr__(self, attr):
            return getattr(repo, attr)

        def save(self, *args, **kwargs):
            if Racing.raced is None:  # the other copy gets in between our read and our write
                Racing.raced = voicemail.apply_transcript(repo, queue, classify, job=name, request_id=request["id"],
                                                          text=SPOKEN, at=at)
            return repo.save(*args, **kwargs)

    outcome = voicemail.apply_transcript(Racing(), queue, classify, job=name, request_id=request["id"], text=SPOKEN,
                                         at=at)
    assert (Racing.raced, outcome) == ("rerouted", "duplicate")
    after = _only_phone_request(client)
    assert [e["type"] for e in after["timeline"]].count("rerouted") == 1
    assert after["version"] == request["version"] + 1
    assert len(_tasks("temizlik")) == 1


def test_a_failed_transcription_is_on_the_timeline_and_routes_nothing(voicemail_env, client, pump):
    request, name = _recorded_and_queued(client, pump)
    assert pump.invoke("voicemail_transcribed", _transcribe_event(name, "FAILED"))["status"] == "failed"
    assert pump.invoke("voicemail_transcribed", _transcribe_event(name, "FAILED"))["status"] == "failed"
    after = _only_phone_request(client)
    assert [e["type"] for e in after["timeline"]].count("transcription_failed") == 1
    assert after["department"] == request["department"]
    # another stage's job, or a name that is not ours, is ignored
    assert pump.invoke("voicemail_transcribed", _transcribe_event("ulakbel-prod-vm-01J0000000000000000000000-RE1"))[
        "status"] == "ignored"


def test_a_recording_of_another_account_is_never_fetched(voicemail_env, client, pump):
    other = "AC" + "f" * 32
    rec = (FIXTURES / "twilio/voice_recording.txt").read_text().replace(
        "Accounts%2FAC0123456789abcdef0123456789abcdef", f"Accounts%2F{other}")
    assert _post(client, rec).status_code == 200
    pump.drain()
    got = _only_phone_request(client)
    assert voicemail_env.requests == []  # our credentials went nowhere
    failed = [e for e in got["timeline"] if e["type"] == "transcription_failed"]
    assert len(failed) == 1 and "başka bir Twilio hesabına" in failed[0]["data"]["reason"]


# -- the fetch itself (pure, transport injected) -----------------------------------------------------------

def _transport(*responses: HttpResponse):
    seen: list[tuple[str, dict]] = []

    def call(method, url, headers, max_bytes):
        seen.append((url, dict(headers)))
        return responses[len(seen) - 1]

    return call, seen


def test_fetch_sends_basic_auth_and_accepts_only_audio():
    wav = (FIXTURES / f"voicemail/{SID}.wav").read_bytes()
    call, seen = _transport(HttpResponse(200, wav, {"Content-Type": "audio/x-wav"}))
    got = recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)
    assert got.body == wav and got.media_format == "wav" and got.sid == SID
    assert seen[0][0] == URL + ".wav" and seen[0][1]["Authorization"] == recording.basic_auth(ACCOUNT, TOKEN)
    call, _ = _transport(HttpResponse(200, b"<html>", {"Content-Type": "text/html"}))
    with pytest.raises(recording.RecordingRefused):
        recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)


@pytest.mark.parametrize("url", [
    URL.replace("api.twilio.com", "api.twilio.com.evil.example"),
    URL.replace("https://", "http://"),
    URL.replace("api.twilio.com", "169.254.169.254"),
    URL + "?redirect=https://evil.example",
    URL.replace("/Recordings/", "/Calls/"),
    f"https://user:pw@api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}",
])
def test_fetch_refuses_urls_that_are_not_our_twilio_recordings(url):
    call, seen = _transport()
    with pytest.raises(recording.RecordingRefused):
        recording.fetch(url, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)
    assert seen == []


def test_redirects_stay_on_twilio_media_hosts_and_drop_the_credentials():
    wav = (FIXTURES / f"voicemail/{SID}.wav").read_bytes()
    cdn = "https://media.twiliocdn.com/recordings/abc.wav?Expires=1"
    call, seen = _transport(HttpResponse(302, b"", {"Location": cdn}), HttpResponse(200, wav, {"Content-Type": "audio/wav"}))
    assert recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call).body == wav
    assert seen[1][0] == cdn and "Authorization" not in seen[1][1]
    for evil in ("https://evil.example/x.wav", "http://media.twiliocdn.com/x.wav", "https://twiliocdn.com.evil.example/x"):
        call, seen = _transport(HttpResponse(302, b"", {"Location": evil}))
        with pytest.raises(recording.RecordingRefused):
            recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)
        assert len(seen) == 1


def test_fetch_is_size_limited_and_classifies_failures():
    big = b"\0" * 101
    call, _ = _transport(HttpResponse(200, big, {"Content-Type": "audio/x-wav"}))
    with pytest.raises(recording.RecordingRefused):
        recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call, max_bytes=100)
    call, _ = _transport(HttpResponse(200, b"RIFF", {"Content-Type": "audio/x-wav", "Content-Length": "999999999"}))
    with pytest.raises(recording.RecordingRefused):
        recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call, max_bytes=100)
    for status in (404, 429, 503):  # 404: Twilio has not finished writing the file yet
        call, _ = _transport(HttpResponse(status, b""))
        with pytest.raises(TransientSendError):
            recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)
    call, _ = _transport(HttpResponse(401, b""))
    with pytest.raises(PermanentSendError):
        recording.fetch(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=call)


def test_transcript_text_reads_amazon_transcribe_output():
    from chalicelib.usecases.voicemail import transcript_text

    assert transcript_text(TRANSCRIPT) == SPOKEN
    with pytest.raises(ValueError):
        transcript_text({"results": {}})


def test_an_amazon_connect_voicemail_takes_the_same_path(voicemail_env, client, pump):
    """The contact flow passes the call recording's S3 location (attribute `SesKaydi`) instead of `Talep`."""
    from chalicelib.adapters.aws import client as aws_client

    bucket, contact = "talas-connect-recordings", "5ca32fbd-8f92-46af-92a5-6b0f970f0efe"
    key = f"connect/talas/CallRecordings/2026/03/10/{contact}_20260310T09:12_UTC.wav"
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    s3.put_object(Bucket=bucket, Key=key, Body=(FIXTURES / f"voicemail/{SID}.wav").read_bytes())
    event = json.loads((FIXTURES / "connect/contact_flow_event.json").read_text())
    attributes = event["Details"]["ContactData"]["Attributes"]
    del attributes["Talep"], attributes["Mahalle"]
    attributes["SesKaydi"] = f"s3://{bucket}/{key}"
    reply = pump.invoke("connect_intake", event)
    assert reply["status"] == "ok"
    assert pump.invoke("connect_intake", event)["new"] == "false"  # the flow retried: one request
    pump.drain()
    got = _only_phone_request(client)
    assert got["department"] == "park" and "salıncaklar kırık" in got["text"]
    assert [e["type"] for e in got["timeline"]].count("rerouted") == 1
    name = next(e for e in got["timeline"] if e["type"] == "transcription")["data"]["job"]
    job = aws_client("transcribe").get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]
    assert job["Media"]["MediaFileUri"] == f"s3://{bucket}/{key}" and job["LanguageCode"] == "tr-TR"
    assert voicemail_env.requests == []  # nothing fetched from Twilio


def test_connect_recordings_outside_the_call_recordings_path_are_refused():
    from chalicelib.usecases.voicemail import CONNECT_RECORDING

    assert CONNECT_RECORDING.match("s3://b-1/connect/talas/CallRecordings/2026/03/10/x.wav")
    for uri in ("s3://b-1/voicemail/other/x.wav", "https://b-1.s3.amazonaws.com/connect/t/CallRecordings/x.wav",
                "s3://b-1/connect/talas/CallRecordings/x.exe"):
        assert not CONNECT_RECORDING.match(uri)


@pytest.mark.allow_pii_in_logs  # the erasure request carries the phone number in its body (not logged by us)
def test_kvkk_erasure_deletes_the_recording_and_its_transcript_and_public_views_never_show_the_url(
        voicemail_env, client, pump):
    from datetime import datetime, timezone

    from chalicelib import resources
    from chalicelib.adapters.aws import client as aws_client
    from chalicelib.usecases.notify import signed_query

    rec = (FIXTURES / "twilio/voice_recording.txt").read_text()
    assert _post(client, rec).status_code == 200
    pump.drain()
    got = _only_phone_request(client)
    bucket = resources.bucket_name("local", "media")
    s3 = aws_client("s3")
    keys = [f"voicemail/{got['id']}/{SID}.wav",
            f"transcripts/{next(e for e in got['timeline'] if e['type'] == 'transcription')['data']['job']}.json"]
    for key in keys:
        s3.head_object(Bucket=bucket, Key=key)

    # the citizen's tracking page (signed link) and the Open311 read never show the recording's address
    query = signed_query("dev-link-key", "track", got["tracking_code"], datetime.now(timezone.utc))
    page = client.http.get(f"/track/{got['tracking_code']}?{query}")
    assert page.status_code == 200 and "api.twilio.com" not in page.body.decode() and SID not in page.body.decode()
    open311 = client.http.get(f"/open311/v2/requests/{got['tracking_code']}.json")
    assert "api.twilio.com" not in open311.body.decode() and "voicemail/" not in open311.body.decode()

    r = client.http.post("/citizens/erase", headers=auth("admin"), body=json.dumps({"phone": "+905339876543"}))
    assert r.status_code == 200, r.body
    assert r.json_body["anonymised"] == 1 and r.json_body["media_deleted"] >= 2
    for key in keys:
        assert "Versions" not in s3.list_object_versions(Bucket=bucket, Prefix=key)
    after = _only_phone_request(client)
    dump = json.dumps(after, ensure_ascii=False)
    assert SPOKEN not in dump and "oturuyorum" not in dump  # the transcript's text went with it
    assert after["text"] != SPOKEN


def test_console_staff_listen_through_a_short_signed_link_nobody_else_does(voicemail_env, client, pump):
    """The console's "listen" link: the department's staff get a 5-minute signed S3 link of OUR copy (Twilio's
    is deleted); another department 404, a viewer 403, nobody signed in goes to sign-in; public pages and
    Open311 never carry the recording's address."""
    from tests.console.helpers import session

    assert _post(client, (FIXTURES / "twilio/voice_recording.txt").read_text()).status_code == 200
    pump.drain()
    got = _only_phone_request(client)
    assert got["department"] == "temizlik" and voicemail_env.deleted == {SID}
    path = f"/console/requests/{got['id']}/voicemail"
    # the staff API names our listen endpoint for the audio, never Twilio's (deleted) address
    assert [a["url"] for a in got["attachments"] if a["kind"] == "audio"] == [f"/requests/{got['id']}/voicemail"]
    assert "api.twilio.com" not in json.dumps(got)

    staff, _ = session("department", "temizlik")
    page = client.http.get(f"/console/requests/{got['id']}", headers=staff).body.decode()
    assert f'href="{path}"' in page and 'data-testid="voicemail"' in page
    assert "s3://" not in page and "api.twilio.com" not in page and "X-Amz-Signature" not in page
    listen = client.http.get(path, headers=staff)
    location = listen.headers.get("Location", "")
    assert listen.status_code == 302 and f"voicemail/{got['id']}/{SID}.wav" in location
    assert "Expires=" in location  # a signed link that runs out (5 minutes, adapters/transcribe.py)
    assert "twilio" not in location and listen.headers["Cache-Control"] == "no-store"

    other, _ = session("department", "park")
    assert client.http.get(path, headers=other).status_code == 404
    assert "Location" not in client.http.get(path, headers=other).headers
    viewer, _ = session("viewer")
    assert client.http.get(path, headers=viewer).status_code == 403
    assert 'data-testid="voicemail"' not in client.http.get(f"/console/requests/{got['id']}", headers=viewer).body.decode()
    anonymous = client.http.get(path)
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/console/login"
    assert client.http.get(f"/requests/{got['id']}/voicemail").status_code == 401

    for public in ("/seffaf", "/analytics/public", "/open311/v2/requests.json",
                   f"/open311/v2/requests/{got['tracking_code']}.json", "/app"):
        body = client.http.get(public).body.decode()
        assert SID not in body and "voicemail/" not in body and "api.twilio.com" not in body, public
