"""The one place that names every AWS resource, so the local bootstrap and infra/ cannot drift."""
from __future__ import annotations

from dataclasses import dataclass

from .domain.departments import municipality

# Global secondary indexes of the single requests table: (name, partition attr, sort attr).
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("GSI1", "GSI1PK", "GSI1SK"),  # DEPT#<code>      / <received>#<id>   department inbox
    ("GSI2", "GSI2PK", "GSI2SK"),  # NBH#<name>       / <received>#<id>   neighbourhood view
    ("GSI3", "GSI3PK", "GSI3SK"),  # STATUS#<status>  / <received>#<id>   status view
    ("GSI4", "GSI4PK", "GSI4SK"),  # DUE (open only)  / <due_at>#<id>     deadline sweep (sparse)
    ("GSI5", "GSI5PK", "GSI5SK"),  # ALL              / <received>#<id>   unified inbox
)
INDEXES += (("RETAIN", "RETAINPK", "RETAINSK"),)  # RETAIN (finished, personal data kept) / <closed>#<id>  KVKK
INDEXES += (("OPEN311", "O311PK", "O311SK"),)  # PUBLIC (Open311 requests marked public only) / <received>#<id>
INDEXES += (("ASSIGNEE", "ASGPK", "ASGSK"),)  # ASG#<assignee> (assigned only) / <received>#<id>  "assigned to me"

STREAM_CONSUMERS = ("route_requests",)
STREAM_CONSUMERS += ("aggregate_requests",)  # analytics counters (issue 9)
STREAM_CONSUMERS += ("workflow_events",)  # workflow: reopened requests back into the department queue (issue 7)
STREAM_CONSUMERS += ("notify_citizens",)  # issue 8: status-change notifications to citizens


@dataclass(frozen=True)
class QueueNames:
    name: str
    dlq: str


def table_name(stage: str) -> str:
    return f"ulakbel-{stage}-requests"


def task_queue(stage: str, key: str) -> QueueNames:
    """FIFO so a re-sent task (same task id) is dropped by SQS itself within its dedupe window."""
    return QueueNames(name=f"ulakbel-{stage}-tasks-{key}.fifo", dlq=f"ulakbel-{stage}-tasks-{key}-dlq.fifo")


def task_queues(stage: str) -> dict[str, QueueNames]:
    return {key: task_queue(stage, key) for key in municipality().queue_keys}


MAX_RECEIVE_COUNT = 5


# Standard (non-FIFO) queues other than department tasks, by purpose: {key: visibility seconds}.
# Each gets a DLQ. Queue consumers (Lambda functions) are listed in QUEUE_CONSUMERS.
SERVICE_QUEUES: dict[str, int] = {}
# Stream records that kept failing (the stream consumers' on-failure destination); `ulakbel dlq replay`.
SERVICE_QUEUES["stream-failures"] = 300

# Lambda function name -> service queue key it consumes (event-source mapping in infra/, pump locally).
QUEUE_CONSUMERS: dict[str, str] = {}

# Issue 8: replies and notifications to citizens (retries by redelivery with backoff, then the DLQ).
SERVICE_QUEUES["outbound"] = 120
QUEUE_CONSUMERS["send_outbound"] = "outbound"

# Issue 22: voicemail recordings to fetch (Twilio) and transcribe (Amazon Transcribe tr-TR), one message each.
SERVICE_QUEUES["voicemail"] = 300
QUEUE_CONSUMERS["transcribe_voicemail"] = "voicemail"

# SNS topic keys (e.g. inbound SMS, inbound e-mail, alarms).
TOPICS: tuple[str, ...] = ()
TOPICS += ("notifications",)  # workflow: escalation warnings for department leads (issue 7)
TOPICS += ("email-events",)  # issue 8: SES configuration-set events (delivery, bounce, complaint) → delivery_events
TOPICS += ("inbound-email", "inbound-sms")  # issue 4: SES receipt rule → SNS; End User Messaging two-way SMS

# S3 bucket keys (e.g. media).
BUCKETS: tuple[str, ...] = ()
BUCKETS += ("media",)  # citizens' photos (Open311 POST /open311/v2/media presigned uploads)


def service_queue(stage: str, key: str) -> QueueNames:
    return QueueNames(name=f"ulakbel-{stage}-{key}", dlq=f"ulakbel-{stage}-{key}-dlq")


def topic_name(stage: str, key: str) -> str:
    return f"ulakbel-{stage}-{key}"


# The local/test stages create their topics in the embedded AWS (moto), always under its default account.
LOCAL_ACCOUNT = "123456789012"


def topic_arn(stage: str, key: str, region: str, account: str) -> str:
    """A topic's full ARN: a name alone matches any account's topic of that name (issue 17)."""
    return f"arn:aws:sns:{region}:{account}:{topic_name(stage, key)}"


def bucket_name(stage: str, key: str) -> str:
    return f"ulakbel-{stage}-{key}"


# Secrets Manager entries: chalicelib/config.py (secret_specs) says which secrets each stage has and which
# functions read them; their names are config.secret_name(stage, NAME).

# Topics infra/ always creates, whether or not a feature has listed them in TOPICS yet.
ALARM_TOPIC = "alarms"
INBOUND_EMAIL_TOPIC = "inbound-email"  # SES receipt rule → SNS → inbound e-mail consumer
MEDIA_BUCKET = "media"  # citizen photos (presigned uploads)


def secret_name(stage: str, key: str) -> str:
    from .config import secret_name as name

    return name(stage, key)
EMAIL_EVENTS_TOPIC = "email-events"  # SES configuration set → SNS → delivery_events (outbound e-mail status)
