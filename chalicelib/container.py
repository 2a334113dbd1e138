"""Composition root: builds adapters lazily on first use; tests replace any of them with `override`."""
from __future__ import annotations

import threading
from typing import Any, Callable

_lock = threading.RLock()
_instances: dict[str, Any] = {}
_overrides: dict[str, Any] = {}


def _get(name: str, factory: Callable[[], Any]) -> Any:
    if name in _overrides:
        return _overrides[name]
    if name not in _instances:
        with _lock:
            if name not in _instances:
                _instances[name] = factory()
    return _instances[name]


def override(name: str, value: Any) -> None:
    _overrides[name] = value


def reset() -> None:
    """Forget every built adapter (and settings) so the next call rebuilds from the environment."""
    from .adapters.aws import reset_clients
    from .settings import reset_settings

    with _lock:
        _instances.clear()
        _overrides.clear()
    reset_settings()
    reset_clients()


def settings():
    from .settings import get_settings

    return _get("settings", get_settings)


def reload_settings() -> None:
    """Parse the environment again (it changed: tests, `ulakbel` commands); every other adapter stays."""
    from .settings import reset_settings

    with _lock:
        _instances.pop("settings", None)
    reset_settings()


def secret(name: str) -> str | None:
    """A secret setting by its variable name (channel webhook secrets, platform keys): see Settings.secret.
    local/test: the environment value; deployed stages: the Secrets Manager secret named by `<NAME>_SECRET_ID`.
    A missing one is None (a webhook answers 401: cannot verify), and /health reports it."""
    return settings().secret(name)


def pii_pepper() -> str:
    """ULAKBEL_PII_PEPPER: a dev value only on local/test, else ConfigurationError (HTTP 503)."""
    return settings().require_secret("ULAKBEL_PII_PEPPER")


def repository():
    def build():
        from . import resources
        from .adapters.dynamo_repository import DynamoRequestRepository

        s = settings()
        return DynamoRequestRepository(s.table_name or resources.table_name(s.stage))

    return _get("repository", build)


def decode_stream_record(record: Any):
    """The one stream decoder (chalicelib/adapters/stream_records.py): record → StreamChange, typed images."""
    from .adapters.stream_records import decode

    return decode(record)


def task_queue():
    def build():
        from .adapters.sqs_tasks import SqsTaskQueue

        return SqsTaskQueue(settings().stage)

    return _get("task_queue", build)


def token_verifier():
    def build():
        from .auth import TokenVerifier, user_pool_jwks_url

        s = settings()
        return TokenVerifier(dev_signing_key=s.dev_signing_key, stage=s.stage, cognito_issuer=s.cognito_issuer,
                             cognito_audience=s.cognito_audience, jwks_fetch=jwks_fetch(), clock=clock(),
                             jwks_url=user_pool_jwks_url(s.cognito_issuer, s.aws_endpoint_url)
                             if s.cognito_issuer else None)

    return _get("token_verifier", build)


def clock() -> Callable[[], float]:
    """Epoch seconds; tests override it (session refresh, token expiry)."""

    def build():
        import time

        return time.time

    return _get("clock", build)


def jwks_fetch() -> Callable[[str], dict]:
    """GET of the user pool's JWKS (tests override it, e.g. to count fetches)."""

    def build():
        def fetch(url: str) -> dict:
            import json
            import urllib.request

            with urllib.request.urlopen(url, timeout=3) as resp:  # nosec B310 - the pool's issuer/moto URL
                return json.loads(resp.read())

        return fetch

    return _get("jwks_fetch", build)


def cognito_oauth():
    """The user pool's OAuth token endpoint (console sign-in with PKCE, session refresh)."""

    def build():
        from .adapters.cognito_oauth import CognitoOAuth, urllib_form_post

        s = settings()
        return CognitoOAuth(s.cognito_hosted_ui, s.cognito_audience, transport=urllib_form_post)

    return _get("cognito_oauth", build)


def classifier() -> Callable:
    def build():
        from .understanding import classify

        return classify

    return _get("classifier", build)


def analytics_store():
    def build():
        from . import resources
        from .adapters.dynamo_analytics import DynamoAnalyticsStore

        s = settings()
        return DynamoAnalyticsStore(s.table_name or resources.table_name(s.stage))

    return _get("analytics_store", build)
def netgsm_transport():
    """HTTP transport of the Netgsm inbox poller (tests override it with recorded responses)."""

    def build():
        from .channels.netgsm.inbound import urllib_transport

        return urllib_transport

    return _get("netgsm_transport", build)


def sns_http_get():
    """GET for SNS signing certificates and SubscribeURL (https SNS hosts only; tests override it)."""

    def build():
        import functools
        import urllib.request

        @functools.lru_cache(maxsize=16)
        def get(url: str) -> bytes:  # certificates are cached; SubscribeURL is called once per token
            with urllib.request.urlopen(url, timeout=5) as resp:  # nosec B310 - caller checked the SNS host
                return resp.read()

        return get

    return _get("sns_http_get", build)
def privacy_store():
    """KVKK storage on the requests table (citizen markers, retention index, erasure audit)."""

    def build():
        from .adapters.privacy_store import DynamoPrivacyStore

        return DynamoPrivacyStore(repository())

    return _get("privacy_store", build)


def media_store():
    """Photos filed with requests (private S3 bucket, presigned URLs)."""

    def build():
        from . import resources
        from .adapters.s3_media import S3MediaStore

        s = settings()
        return S3MediaStore(resources.bucket_name(s.stage, "media"), s.public_base_url)

    return _get("media_store", build)


def youtube_state():
    """The YouTube door's own items: WebSub intents, poll marks, known videos."""

    def build():
        from . import resources
        from .adapters.youtube_state import YouTubeState

        s = settings()
        return YouTubeState(s.table_name or resources.table_name(s.stage))

    return _get("youtube_state", build)


def escalation_notifier() -> Callable[[str, Any], None] | None:
    """Publish escalation warnings to the `notifications` topic, when the stage has one."""

    def build():
        from . import resources
        from .adapters.notifications_topic import NotificationsTopic

        if "notifications" not in resources.TOPICS:
            return None
        return NotificationsTopic(resources.topic_name(settings().stage, "notifications"))

    return _get("escalation_notifier", build)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) for the console's sign-in with the user pool (RFC 7636)."""
    from .adapters.cognito_oauth import pkce_pair as pair

    return pair()


def outbound_settings():
    """The same one settings model (outbound platform configuration lives in it since issue 16)."""
    return settings()


def outbound_queue():
    def build():
        from .adapters.outbound_aws import SqsOutboundQueue

        return SqsOutboundQueue(settings().stage)

    return _get("outbound_queue", build)


def outbound_senders():
    def build():
        from .adapters.outbound_aws import build_senders
        from .usecases import push

        repo = repository()
        return build_senders(outbound_settings(), repo, (lambda rid, sid: push.subscription_of(repo, rid, sid),
                                                         lambda rid, sid: push.forget(repo, rid, sid)))

    return _get("outbound_senders", build)


def counters():
    def build():
        from . import resources
        from .adapters.outbound_aws import DynamoCounters

        s = settings()
        return DynamoCounters(s.table_name or resources.table_name(s.stage))

    return _get("counters", build)


# -- issue 22: voicemail (Amazon Transcribe) -------------------------------------------------------------
def transcriber():
    def build():
        from .adapters.transcribe import TranscribeVoicemail

        return TranscribeVoicemail(settings().stage)

    return _get("transcriber", build)


def voicemail_queue():
    def build():
        from .adapters.transcribe import SqsVoicemailQueue

        return SqsVoicemailQueue(settings().stage)

    return _get("voicemail_queue", build)


def recording_transport():
    """GET of Twilio recordings (no redirects followed, bounded). With the outbox on (local), fixture files."""

    def build():
        if settings().outbox:
            from .adapters.local_voicemail import LocalTwilioRecordings

            return LocalTwilioRecordings()
        from .adapters.http_transport import bounded_get_transport

        return bounded_get_transport

    return _get("recording_transport", build)


def transcript_key(job: str) -> str:
    """Where Transcribe writes a voicemail job's transcript in our bucket."""
    from .adapters.transcribe import transcript_key as key

    return key(job)


def transcript_reader():
    """job name → the Transcribe output document (our bucket; tests may inject a reader)."""
    return _get("transcript_reader", lambda: transcriber().read_transcript)


def staff_directory():
    """Assign picker: the user pool's dept-<code> groups on deployed stages, web/data/staff.yaml locally."""

    def build():
        from .adapters.staff_directory import CognitoStaffDirectory, FileStaffDirectory, pool_id_from_issuer
        from .auth import DEV_TOKEN_STAGES

        s = settings()
        if s.stage in DEV_TOKEN_STAGES:
            return FileStaffDirectory()
        if not s.cognito_issuer:
            raise RuntimeError("COGNITO_ISSUER is required for the staff directory outside local/test")
        return CognitoStaffDirectory(pool_id_from_issuer(s.cognito_issuer))

    return _get("staff_directory", build)


def _provide_adapters() -> None:
    """Adapters and data loaders never import this module (nor the settings): what they need from the
    settings is handed to them here."""
    from .adapters import pepper
    from .domain import data_files

    pepper.provide(pii_pepper)
    data_files.provide(lambda: settings().data_files, reload_settings)


_provide_adapters()
