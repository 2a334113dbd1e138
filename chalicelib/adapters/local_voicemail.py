"""Local stand-ins for the voicemail path (local/test stages only; `ulakbel dev` and the tests).

- `LocalTwilioRecordings`: a bounded transport answering Twilio recording GETs from fixture files
  (`<RecordingSid>.wav` in VOICEMAIL_FIXTURES), the way api.twilio.com answers: 401 without Basic auth; and the
  DELETE of a recording (Twilio's recorded answers in tests/fixtures/twilio/recording_delete.json): 204, then
  404 for it (GET included) once deleted. Nothing leaves the machine.
- `local_transcript`: the Amazon Transcribe output document for a job, from `<RecordingSid>.transcript.json`
  (moto's Transcribe completes jobs but writes no transcript; the local runner writes this one).
"""
from __future__ import annotations

import io
import json
import math
import struct
import wave
from pathlib import Path
from typing import Any

from ..domain.outbound import HttpResponse

VOICEMAIL_FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "voicemail"
TWILIO_DELETE_ANSWERS = VOICEMAIL_FIXTURES.parent / "twilio" / "recording_delete.json"


def twilio_answer(kind: str, path: str = "") -> HttpResponse:
    """One of Twilio's recorded answers to a recording DELETE ("deleted", "not_found", "unauthorized", …)."""
    answer = json.loads(TWILIO_DELETE_ANSWERS.read_text(encoding="utf-8"))[kind]
    body = answer["body"]
    if isinstance(body, dict):
        if kind == "not_found" and path:  # Twilio names the resource it did not find
            body = {**body, "message": f"The requested resource {path} was not found"}
        body = json.dumps(body)
    return HttpResponse(answer["status"], body.encode("utf-8"), dict(answer["headers"]))


def _tone_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A short 8 kHz mono 16-bit WAV (Twilio's recording format) for recordings without a fixture file."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * n / rate)))
                               for n in range(int(seconds * rate))))
    return buf.getvalue()


class LocalTwilioRecordings:
    def __init__(self, directory: Path = VOICEMAIL_FIXTURES) -> None:
        self.directory = directory
        self.requests: list[tuple[str, str, bool]] = []  # (method, url, had credentials): tests look
        self.deleted: set[str] = set()  # recording SIDs deleted at "Twilio"

    def __call__(self, method: str, url: str, headers: dict[str, str], max_bytes: int) -> HttpResponse:
        from urllib.parse import urlsplit

        authorised = any(k.lower() == "authorization" and v.startswith("Basic ") for k, v in headers.items())
        self.requests.append((method, url, authorised))
        if not authorised:
            return HttpResponse(401, b'{"code": 20003, "message": "Authenticate"}', {"Content-Type": "application/json"})
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        sid = name.split(".", 1)[0]
        if sid in self.deleted:
            return twilio_answer("not_found", urlsplit(url).path)
        if method == "DELETE":
            self.deleted.add(sid)
            return twilio_answer("deleted")
        path = self.directory / f"{sid}.wav"
        body = path.read_bytes() if path.is_file() else _tone_wav()
        return HttpResponse(200, body[:max_bytes + 1], {"Content-Type": "audio/x-wav",
                                                        "Content-Length": str(len(body))})


def local_transcript(recording_id: str, directory: Path = VOICEMAIL_FIXTURES) -> dict[str, Any]:
    """The fixture transcript of a recording, or an empty Transcribe result when there is none."""
    path = directory / f"{recording_id}.transcript.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"jobName": recording_id, "status": "COMPLETED", "results": {"transcripts": [{"transcript": ""}],
                                                                         "items": []}}
