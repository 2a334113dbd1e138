"""Amazon Transcribe (tr-TR) for voicemail: the recording in the private media bucket, a transcription job
writing its JSON back to that bucket, and reading that JSON when EventBridge says the job has finished.

moto stands in locally: it accepts the job and moves it to COMPLETED when asked, but writes no transcript;
the local runner (ulakbel_cli/pump.py) writes the fixture transcript to the output key and emits the event.
"""
from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from .. import resources
from ..domain.errors import TemporarilyUnavailable
from .aws import client

LANGUAGE = "tr-TR"
RECORDINGS_PREFIX = "voicemail/"
TRANSCRIPTS_PREFIX = "transcripts/"
MAX_TRANSCRIPT_BYTES = 4 * 1024 * 1024  # a 3-minute call's JSON (words with timings) is far below this


def transcript_key(job_name: str) -> str:
    return f"{TRANSCRIPTS_PREFIX}{job_name}.json"


class TranscribeVoicemail:
    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.bucket = resources.bucket_name(stage, resources.MEDIA_BUCKET)

    def store_recording(self, request_id: str, recording_id: str, body: bytes, content_type: str,
                        media_format: str) -> str:
        """Private object (bucket blocks public access; SSE-S3), key by request and recording: a redelivery
        overwrites the same object. Returns the s3:// URI Transcribe reads."""
        key = f"{RECORDINGS_PREFIX}{request_id}/{recording_id}.{media_format}"
        try:
            client("s3").put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                                    ServerSideEncryption="AES256")
        except ClientError as exc:
            raise TemporarilyUnavailable("Kayıt saklanamadı / could not store the recording") from exc
        return f"s3://{self.bucket}/{key}"

    def start(self, job_name: str, media_uri: str, media_format: str) -> bool:
        """StartTranscriptionJob (tr-TR, output to our bucket). False when the job already exists (redelivery)."""
        try:
            client("transcribe").start_transcription_job(
                TranscriptionJobName=job_name, LanguageCode=LANGUAGE, MediaFormat=media_format,
                Media={"MediaFileUri": media_uri}, OutputBucketName=self.bucket, OutputKey=transcript_key(job_name))
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConflictException":
                return False
            if exc.response["Error"]["Code"] in ("LimitExceededException", "InternalFailureException"):
                raise TemporarilyUnavailable("Transcribe meşgul / Transcribe is busy") from exc
            raise
        return True

    def listen_url(self, media_uri: str, expires: int = 300) -> str | None:
        """A short-lived signed GET of a recording we stored (staff listen; the bucket stays private)."""
        prefix = f"s3://{self.bucket}/{RECORDINGS_PREFIX}"
        if not (media_uri or "").startswith(prefix):
            return None
        key = media_uri[len(f"s3://{self.bucket}/"):]
        return client("s3").generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                                   ExpiresIn=expires)

    def failure_reason(self, job_name: str) -> str | None:
        try:
            job = client("transcribe").get_transcription_job(TranscriptionJobName=job_name)["TranscriptionJob"]
        except ClientError:
            return None
        return job.get("FailureReason")

    def read_transcript(self, job_name: str) -> dict[str, Any]:
        """The job's output JSON from our bucket (bounded read)."""
        try:
            out = client("s3").get_object(Bucket=self.bucket, Key=transcript_key(job_name))
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise TemporarilyUnavailable("Transkript henüz yok / transcript not written yet") from exc
            raise
        if int(out.get("ContentLength") or 0) > MAX_TRANSCRIPT_BYTES:
            raise ValueError("transcript too large")
        return json.loads(out["Body"].read(MAX_TRANSCRIPT_BYTES + 1))


class SqsVoicemailQueue:
    """The `voicemail` service queue: one message per recording to fetch and transcribe."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self._url: str | None = None

    def send(self, job) -> None:
        sqs = client("sqs")
        try:
            if self._url is None:
                self._url = sqs.get_queue_url(QueueName=resources.service_queue(self.stage, VOICEMAIL_QUEUE).name)[
                    "QueueUrl"]
            sqs.send_message(QueueUrl=self._url, MessageBody=job.model_dump_json())
        except ClientError as exc:
            raise TemporarilyUnavailable("Sesli mesaj kuyruğu yanıt vermiyor / voicemail queue unavailable") from exc


VOICEMAIL_QUEUE = "voicemail"
