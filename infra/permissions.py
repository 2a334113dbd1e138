"""What each Lambda function may do: the ONE place that grants IAM permissions.

Every function the Chalice app declares (the API handler, `lambda_function`s, schedules, SQS/SNS/S3
handlers) must have an entry here; tests/infra/test_permissions.py fails otherwise, so a new function
cannot be deployed with forgotten (or with blanket) permissions.

An entry is a tuple of grants; a grant is (actions, resource keys). Resource keys are symbolic and
resolved by infra/stack.py to exact ARNs (an unknown key fails synthesis):

    table                 the requests table            table-indexes    its GSIs
    table-stream          its stream                    task-queues      every department task queue
    queue:<key>           a SERVICE_QUEUES queue        dlq:<key>        its dead-letter queue
    topic:<key>           an SNS topic                  bucket:<key>     an S3 bucket (objects: bucket-objects:<key>)
    ses-identity          the verified SES sending identity
    ses-configuration-set the configuration set that reports delivery/bounce events to SNS
    transcribe-jobs       this stage's Amazon Transcribe jobs (ulakbel-<stage>-*)
    connect-recordings    Amazon Connect call recordings (any bucket, key connect/<alias>/CallRecordings/*)
    user-pool             this stage's staff user pool (Cognito)
    sms                   SMS to phone numbers (sns:Publish has no phone-number ARN: "*", with a Deny on
                          every topic ARN added by the stack so only direct SMS remains)

Secrets are not listed here: each function may read exactly the Secrets Manager secrets chalicelib/config.py
says it reads (config.function_secrets), added by the stack. Logs (the function's own log group) and X-Ray are
added to every role by the stack. Event-source
permissions (reading the stream/queue a function consumes, sending to its on-failure destination) are
added by the stack from STREAM_CONSUMERS / QUEUE_CONSUMERS, not listed here.
"""
from __future__ import annotations

Grant = tuple[tuple[str, ...], tuple[str, ...]]

TABLE_READ = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable")
TABLE_WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem")
TASK_QUEUE_WORK = ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                   "sqs:GetQueueUrl", "sqs:GetQueueAttributes")
KVKK_ERASE = ("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem")

FUNCTION_PERMISSIONS: dict[str, tuple[Grant, ...]] = {
    # The REST API: intake (TransactWriteItems = Put/Update/ConditionCheck per item), inbox queries,
    # department task leases on the FIFO task queues.
    "api_handler": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (TASK_QUEUE_WORK, ("task-queues",)),
        # Presigned upload/download URLs for citizens' photos are signed with this role's rights.
        (("s3:PutObject", "s3:GetObject"), ("bucket-objects:media",)),
        # Staff replies are queued for sending.
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("queue:outbound",)),
        # Open311 reads by id (BatchGetItem); KVKK erasure deletes markers (in transactions and batches) and
        # every version of the citizen's photos.
        (KVKK_ERASE, ("table",)),
        (("s3:ListBucketVersions",), ("bucket:media",)),
        (("s3:DeleteObject", "s3:DeleteObjectVersion"), ("bucket-objects:media",)),
        # Console assign picker: the members of a department's group dept-<code> (adapters/staff_directory.py);
        # read-only, this pool only, no other Cognito action.
        (("cognito-idp:ListUsersInGroup",), ("user-pool",)),
    ),
    # DynamoDB stream → classify → task on a department queue (stream read access added by the stack).
    "route_requests": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("task-queues",)),
    ),
    # DynamoDB stream → analytics counters in the same table (transaction: marker put + counter update).
    "aggregate_requests": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
    ),
    # Scheduled YouTube comment poll: intake into the table, poll cursor in the table.
    "youtube_poll_comments": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    # DynamoDB stream → workflow (a reopened request goes back on its department queue).
    "workflow_events": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("task-queues",)),
    ),
    # Scheduled SLA sweep: escalates overdue requests, re-queues tasks, warns leads on `notifications`
    # (the adapter resolves the topic ARN with the idempotent CreateTopic).
    "escalation_sweep": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("task-queues",)),
        (("sns:CreateTopic", "sns:Publish"), ("topic:notifications",)),
    ),
    # Daily KVKK retention: finds closed requests past the retention period on the sparse RETAIN index,
    # anonymises them in place and writes the deletion log (items with a 3-year TTL) in the same table.
    "kvkk_retention": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (KVKK_ERASE, ("table",)),  # outbound records and lookup markers go with the request's personal data
        (("s3:ListBucketVersions",), ("bucket:media",)),
        (("s3:DeleteObject", "s3:DeleteObjectVersion"), ("bucket-objects:media",)),
    ),
    # Amazon Connect contact flow → intake.
    "connect_intake": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    # SES → SNS inbound e-mail, and two-way SMS → SNS: intake.
    "inbound_email": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    "inbound_sms": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    # Scheduled NetGSM inbox poll: intake.
    "netgsm_poll": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    # Outbound queue consumer: sends replies/notifications on the citizen's channel (platform tokens, SES from
    # the municipality's identity, SMS), delays a message for backoff, records the outcome in the table.
    "send_outbound": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:BatchGetItem",), ("table",)),  # the message's state and its opt-out markers in one read
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"), ("queue:outbound",)),
        (("ses:SendRawEmail",), ("ses-identity", "ses-configuration-set")),
        (("sns:Publish",), ("sms",)),
    ),
    # DynamoDB stream → status-change notifications queued on `outbound`.
    "notify_citizens": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("queue:outbound",)),
    ),
    # SNS → SES delivery/bounce events recorded on the outbound events.
    "delivery_events": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
    ),
    # Daily WebSub lease renewal: only its secrets (channel id, WebSub secret, API key; chalicelib/config.py).
    "youtube_renew_websub": (),
    # Issue 22, `voicemail` queue consumer: the recording (fetched from Twilio, or an Amazon Connect call
    # recording) → private media bucket → StartTranscriptionJob (tr-TR). Transcribe reads the media and writes
    # its output with the caller's rights, hence Get/Put on the bucket objects and on Connect's recordings.
    "transcribe_voicemail": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("s3:PutObject", "s3:GetObject"), ("bucket-objects:media",)),
        (("s3:GetObject",), ("connect-recordings",)),
        (("transcribe:StartTranscriptionJob",), ("transcribe-jobs",)),
    ),
    # EventBridge "Transcribe Job State Change" (this stage's jobs) → transcript on the request, re-route once.
    "voicemail_transcribed": (
        (TABLE_READ + TABLE_WRITE, ("table",)),
        (("dynamodb:Query",), ("table-indexes",)),
        (("sqs:SendMessage", "sqs:GetQueueUrl"), ("task-queues",)),
        (("s3:GetObject",), ("bucket-objects:media",)),
        (("transcribe:GetTranscriptionJob",), ("transcribe-jobs",)),
    ),
}
