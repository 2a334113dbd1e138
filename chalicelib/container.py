"""Composition root: builds adapters lazily on first use; tests replace any of them with `override`."""
from __future__ import annotations

import functools
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


def _built_once(factory: Callable[[], Any]) -> Callable[[], Any]:
    """The factory's adapter, built on first use and kept (under the factory's name, which `override` and
    `reset` use)."""
    name = factory.__name__

    @functools.wraps(factory)
    def adapter():
        return _get(name, factory)

    return adapter


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


def table_name() -> str:
    """The requests table: the setting when given (tests, `ulakbel dev`), else the stage's name for it."""
    from . import resources

    s = settings()
    return s.table_name or resources.table_name(s.stage)


@_built_once
def repository():
    from .adapters.dynamo_repository import DynamoRequestRepository

    return DynamoRequestRepository(table_name())


def decode_stream_record(record: Any):
    """The one stream decoder (chalicelib/adapters/stream_records.py): record → StreamChange, typed images."""
    from .adapters.stream_records import decode

    return decode(record)


@_built_once
def task_queue():
    from .adapters.sqs_tasks import SqsTaskQueue

    return SqsTaskQueue(settings().stage)


@_built_once
def token_verifier():
    from .auth import TokenVerifier, user_pool_jwks_url

    s = settings()
    return TokenVerifier(dev_signing_key=s.dev_signing_key, stage=s.stage, cognito_issuer=s.cognito_issuer,
                         cognito_audience=s.cognito_audience, jwks_fetch=jwks_fetch(), clock=clock(),
                         jwks_url=user_pool_jwks_url(s.cognito_issuer, s.aws_endpoint_url)
                         if s.cognito_issuer else None)


@_built_once
def clock() -> Callable[[], float]:
    """Epoch seconds; tests override it (session refresh, token expiry)."""

    import time

    return time.time


@_built_once
def jwks_fetch() -> Callable[[str], dict]:
    """GET of the user pool's JWKS (tests override it, e.g. to count fetches)."""

    def fetch(url: str) -> dict:
        import json
        import urllib.request

        with urllib.request.urlopen(url, timeout=3) as resp:  # nosec B310 - the pool's issuer/moto URL
            return json.loads(resp.read())

    return fetch


@_built_once
def cognito_oauth():
    """The user pool's OAuth token endpoint (console sign-in with PKCE, session refresh)."""

    from .adapters.cognito_oauth import CognitoOAuth, urllib_form_post

    s = settings()
    return CognitoOAuth(s.cognito_hosted_ui, s.cognito_audience, transport=urllib_form_post)


@_built_once
def classifier() -> Callable:
    from .understanding import classify

    return classify


@_built_once
def analytics_store():
    from .adapters.dynamo_analytics import DynamoAnalyticsStore

    return DynamoAnalyticsStore(table_name())
@_built_once
def netgsm_transport():
    """HTTP transport of the Netgsm inbox poller (tests override it with recorded responses)."""

    from .channels.netgsm.inbound import urllib_transport

    return urllib_transport


@_built_once
def sns_http_get():
    """GET for SNS signing certificates and SubscribeURL (https SNS hosts only; tests override it)."""

    import functools
    import urllib.request

    @functools.lru_cache(maxsize=16)
    def get(url: str) -> bytes:  # certificates are cached; SubscribeURL is called once per token
        with urllib.request.urlopen(url, timeout=5) as resp:  # nosec B310 - caller checked the SNS host
            return resp.read()

    return get
@_built_once
def privacy_store():
    """KVKK storage on the requests table (citizen markers, retention index, erasure audit)."""

    from .adapters.privacy_store import DynamoPrivacyStore

    return DynamoPrivacyStore(repository())


@_built_once
def media_store():
    """Photos filed with requests (private S3 bucket, presigned URLs)."""

    from . import resources
    from .adapters.s3_media import S3MediaStore

    s = settings()
    return S3MediaStore(resources.bucket_name(s.stage, "media"), s.public_base_url)


@_built_once
def youtube_state():
    """The YouTube door's own items: WebSub intents, poll marks, known videos."""

    from .adapters.youtube_state import YouTubeState

    return YouTubeState(table_name())


@_built_once
def escalation_notifier() -> Callable[[str, Any], None] | None:
    """Publish escalation warnings to the `notifications` topic, when the stage has one."""

    from . import resources
    from .adapters.notifications_topic import NotificationsTopic

    if "notifications" not in resources.TOPICS:
        return None
    return NotificationsTopic(resources.topic_name(settings().stage, "notifications"))


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) for the console's sign-in with the user pool (RFC 7636)."""
    from .adapters.cognito_oauth import pkce_pair as pair

    return pair()


def outbound_settings():
    """The same one settings model (outbound platform configuration lives in it since issue 16)."""
    return settings()


@_built_once
def outbound_queue():
    from .adapters.outbound_aws import SqsOutboundQueue

    return SqsOutboundQueue(settings().stage)


@_built_once
def outbound_senders():
    from .adapters.outbound_aws import build_senders
    from .usecases import push

    repo = repository()
    return build_senders(outbound_settings(), repo, (lambda rid, sid: push.subscription_of(repo, rid, sid),
                                                     lambda rid, sid: push.forget(repo, rid, sid)))


@_built_once
def counters():
    from .adapters.outbound_aws import DynamoCounters

    return DynamoCounters(table_name())


# -- issue 22: voicemail (Amazon Transcribe) -------------------------------------------------------------
@_built_once
def transcriber():
    from .adapters.transcribe import TranscribeVoicemail

    return TranscribeVoicemail(settings().stage)


@_built_once
def voicemail_queue():
    from .adapters.transcribe import SqsVoicemailQueue

    return SqsVoicemailQueue(settings().stage)


@_built_once
def recording_transport():
    """GET of Twilio recordings (no redirects followed, bounded). With the outbox on (local), fixture files."""

    if settings().outbox:
        from .adapters.local_voicemail import LocalTwilioRecordings

        return LocalTwilioRecordings()
    from .adapters.http_transport import bounded_get_transport

    return bounded_get_transport


def transcript_key(job: str) -> str:
    """Where Transcribe writes a voicemail job's transcript in our bucket."""
    from .adapters.transcribe import transcript_key as key

    return key(job)


def transcript_reader():
    """job name → the Transcribe output document (our bucket; tests may inject a reader)."""
    return _get("transcript_reader", lambda: transcriber().read_transcript)


@_built_once
def staff_directory():
    """Assign picker: the user pool's dept-<code> groups on deployed stages, the municipality's staff.yaml locally."""

    from .adapters.staff_directory import CognitoStaffDirectory, FileStaffDirectory, pool_id_from_issuer
    from .auth import DEV_TOKEN_STAGES

    s = settings()
    if s.stage in DEV_TOKEN_STAGES:
        return FileStaffDirectory()
    if not s.cognito_issuer:
        raise RuntimeError("COGNITO_ISSUER is required for the staff directory outside local/test")
    return CognitoStaffDirectory(pool_id_from_issuer(s.cognito_issuer))


def _provide_adapters() -> None:
    """Adapters and data loaders never import this module (nor the settings): what they need from the
    settings is handed to them here."""
    from .adapters import pepper
    from .domain import data_files

    pepper.provide(pii_pepper)
    data_files.provide(lambda: settings().data_files, reload_settings, lambda: settings().municipality_folder,
                       owner=settings)


_provide_adapters()
