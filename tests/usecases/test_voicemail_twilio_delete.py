"""Issue 22 (voicemail tail): once a Twilio recording is ours in S3 and its Transcribe job started, the recording
is deleted at Twilio. Every crash window and failure keeps the request, the stored copy and the job; a transient
failure redelivers the job and only the delete is retried; a permanent one stays visible on the timeline.

The use case on the in-memory twin, with Twilio's recorded answers through the injected transport."""
from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from chalicelib.adapters.local_voicemail import twilio_answer
from chalicelib.channels.twilio import recording
from chalicelib.domain.outbound import HttpResponse, TransientSendError
from chalicelib.usecases import intake, voicemail
from tests.usecases.conftest import NOW, sms

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "twilio-test-token-0123456789"
SID = "RE1a2b3c4d5e6f708192a3b4c5d6e7f809"
URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{SID}"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)


class Twilio:
    """api.twilio.com for one recording: GET the audio, DELETE the resource; answers can be scripted."""

    def __init__(self, *delete_answers: HttpResponse):
        self.calls: list[tuple[str, str, str]] = []
        self.answers = list(delete_answers)
        self.deleted = False

    def __call__(self, method, url, headers, max_bytes):
        self.calls.append((method, url, headers.get("Authorization", "")))
        if self.deleted:  # Twilio no longer has it: GET and DELETE answer 404 (code 20404)
            return twilio_answer("not_found", url)
        if method == "GET":
            return HttpResponse(200, WAV, {"Content-Type": "audio/x-wav"})
        answer = self.answers.pop(0) if self.answers else twilio_answer("deleted")
        if answer.status == 204:
            self.deleted = True
        return answer

    def methods(self):
        return [m for m, _, _ in self.calls]


class Transcriber:
    def __init__(self):
        self.stored: list[str] = []
        self.jobs: set[str] = set()

    def store_recording(self, request_id, recording_id, body, content_type, media_format):
        self.stored.append(recording_id)
        return f"s3://media/voicemail/{request_id}/{recording_id}.wav"

    def start(self, job_name, media_uri, media_format):
        if job_name in self.jobs:
            return False
        self.jobs.add(job_name)
        return True


@pytest.fixture
def voicemail_request(repo):
    request, _ = intake.intake(sms("Sesli mesaj bırakıldı (14 sn); kaydı dinleyin", "CA1"), repo)
    return request


def _ticking():
    """A frozen clock that moves a second per reading (events at one instant would order by their id hash)."""
    from itertools import count

    seconds = count()
    return lambda: NOW + timedelta(seconds=next(seconds))


CLOCK = _ticking()


def _run(job, repo, twilio, transcriber, clock=CLOCK):
    fetch = lambda url: recording.fetch(url, account_sid=ACCOUNT, auth_token=TOKEN, transport=twilio)  # noqa: E731
    delete = lambda url: recording.delete(url, account_sid=ACCOUNT, auth_token=TOKEN, transport=twilio)  # noqa: E731
    return voicemail.start_transcription(job, repo, transcriber, fetch, stage="test", clock=clock,
                                         delete=delete)


def _job(request):
    return voicemail.VoicemailJob(request_id=request.id, source="twilio", recording_id=SID, recording_url=URL)


def _types(repo, request):
    return [e.type for e in repo.get(request.id).timeline]


def test_the_recording_is_deleted_at_twilio_after_it_is_stored_and_the_job_started(repo, voicemail_request):
    twilio, transcriber = Twilio(), Transcriber()
    frozen = lambda: NOW  # noqa: E731  (both events in one instant: the deletion still reads after the start)
    assert _run(_job(voicemail_request), repo, twilio, transcriber, clock=frozen) == "started"
    assert twilio.methods() == ["GET", "DELETE"]  # stored first, deleted after
    method, url, authorization = twilio.calls[1]
    assert url == URL + ".json"
    assert authorization == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    types = _types(repo, voicemail_request)
    assert types.index("transcription_started") < types.index("recording_deleted")
    deleted = next(e for e in repo.get(voicemail_request.id).timeline if e.type == "recording_deleted")
    assert deleted.visibility == "internal" and deleted.data == {"recording_id": SID, "source": "twilio",
                                                                "outcome": "deleted"}
    assert URL not in str(deleted.data)  # the Twilio address is not kept


def test_a_second_delivery_fetches_nothing_and_deletes_nothing(repo, voicemail_request):
    twilio, transcriber = Twilio(), Transcriber()
    _run(_job(voicemail_request), repo, twilio, transcriber)
    assert _run(_job(voicemail_request), repo, twilio, transcriber) == "already started"
    assert twilio.methods() == ["GET", "DELETE"] and transcriber.stored == [SID]
    assert _types(repo, voicemail_request).count("recording_deleted") == 1


def test_a_transient_failure_redelivers_and_only_the_delete_is_retried(repo, voicemail_request):
    twilio, transcriber = Twilio(twilio_answer("too_many_requests")), Transcriber()
    with pytest.raises(TransientSendError, match="429"):
        _run(_job(voicemail_request), repo, twilio, transcriber)  # SQS redelivers the message
    types = _types(repo, voicemail_request)
    assert "transcription_started" in types and "recording_deleted" not in types  # nothing lost meanwhile
    assert _run(_job(voicemail_request), repo, twilio, transcriber) == "already started"
    assert twilio.methods() == ["GET", "DELETE", "DELETE"]  # no second download, no second job
    assert transcriber.stored == [SID] and len(transcriber.jobs) == 1
    assert _types(repo, voicemail_request).count("recording_deleted") == 1


def test_a_delete_that_went_through_before_a_crash_is_recorded_on_the_redelivery(repo, voicemail_request):
    """Twilio deleted it but the event was not written: the redelivery's DELETE gets 404 and records 'gone'."""
    twilio, transcriber = Twilio(), Transcriber()
    original = repo.append_events
    calls = []

    def crash_on_deleted(request_id, events):
        calls.append(events[0].type)
        if events[0].type == "recording_deleted" and calls.count("recording_deleted") == 1:
            raise ConnectionError("lambda died")
        return original(request_id, events)

    repo.append_events = crash_on_deleted
    with pytest.raises(ConnectionError):
        _run(_job(voicemail_request), repo, twilio, transcriber)
    assert _run(_job(voicemail_request), repo, twilio, transcriber) == "already started"
    gone = [e for e in repo.get(voicemail_request.id).timeline if e.type == "recording_deleted"]
    assert [e.data["outcome"] for e in gone] == ["gone"] and twilio.methods() == ["GET", "DELETE", "DELETE"]


def test_a_refused_delete_is_left_on_the_timeline_and_the_transcription_goes_on(repo, voicemail_request):
    twilio, transcriber = Twilio(twilio_answer("unauthorized")), Transcriber()
    assert _run(_job(voicemail_request), repo, twilio, transcriber) == "started"
    failed = [e for e in repo.get(voicemail_request.id).timeline if e.type == "recording_delete_failed"]
    assert len(failed) == 1 and "20003" in failed[0].data["reason"] and "HTTP 401" in failed[0].data["reason"]
    assert "twilio.com" not in failed[0].data["reason"] and len(transcriber.jobs) == 1
    # the conversation says so in one sentence, never a dict
    from chalicelib.web.conversation import sentence

    tr, en = sentence({"type": "recording_delete_failed", "data": failed[0].data},
                      {"departments": {}, "statuses": {}, "categories": {}, "channels": {}})
    assert tr.startswith("Ses kaydı Twilio hesabından silinemedi") and "{" not in tr and en


# -- the DELETE itself, on Twilio's recorded answers ------------------------------------------------------------
def test_delete_reads_twilios_answers():
    for kind, expected in (("deleted", "deleted"), ("not_found", "gone")):
        twilio = Twilio(twilio_answer(kind, "/x"))
        assert recording.delete(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=twilio) == expected
        assert twilio.calls[0][:2] == ("DELETE", URL + ".json")
    with pytest.raises(recording.RecordingRefused, match="20003"):
        recording.delete(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=Twilio(twilio_answer("unauthorized")))
    for transient in (twilio_answer("too_many_requests"), HttpResponse(503, b"", {})):
        with pytest.raises(TransientSendError):
            recording.delete(URL, account_sid=ACCOUNT, auth_token=TOKEN, transport=Twilio(transient))
    # the .wav form of the URL names the same resource
    twilio = Twilio()
    recording.delete(URL + ".wav", account_sid=ACCOUNT, auth_token=TOKEN, transport=twilio)
    assert twilio.calls[0][1] == URL + ".json"


@pytest.mark.parametrize("url", [
    URL.replace(ACCOUNT, "AC" + "f" * 32),  # another account's recording
    URL.replace("api.twilio.com", "api.twilio.com.evil.example"),
    URL.replace("https://", "http://"),
])
def test_delete_never_sends_our_credentials_elsewhere(url):
    twilio = Twilio()
    with pytest.raises(recording.RecordingRefused):
        recording.delete(url, account_sid=ACCOUNT, auth_token=TOKEN, transport=twilio)
    assert twilio.calls == []
