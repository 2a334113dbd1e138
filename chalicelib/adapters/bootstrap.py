"""Create the tables and queues a stage needs. Used by `ulakbel dev` (moto) and tests.

Definitions come from chalicelib.resources, the same source infra/ synthesises from.
"""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from .. import resources
from .aws import client


def table_definition(stage: str) -> dict:
    attrs = {"PK", "SK"} | {a for _, pk, sk in resources.INDEXES for a in (pk, sk)}
    return {
        "TableName": resources.table_name(stage),
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attrs)],
        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [{"AttributeName": pk, "KeyType": "HASH"}, {"AttributeName": sk, "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }
            for name, pk, sk in resources.INDEXES
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    }


def create_table(stage: str) -> str:
    ddb = client("dynamodb")
    definition = table_definition(stage)
    try:
        ddb.create_table(**definition)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceInUseException":
            raise
    ddb.get_waiter("table_exists").wait(TableName=definition["TableName"], WaiterConfig={"Delay": 0.2})
    try:
        ddb.update_time_to_live(TableName=definition["TableName"],
                                TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})
    except ClientError:
        pass
    return ddb.describe_table(TableName=definition["TableName"])["Table"]["LatestStreamArn"]


def create_queue_pair(names: resources.QueueNames, *, fifo: bool = True, visibility: int = 300) -> str:
    sqs = client("sqs")
    fifo_attrs = {"FifoQueue": "true"} if fifo else {}
    dlq_url = sqs.create_queue(QueueName=names.dlq, Attributes={**fifo_attrs,
                                                                 "MessageRetentionPeriod": "1209600"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attrs = {
        **fifo_attrs,
        "VisibilityTimeout": str(visibility),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": resources.MAX_RECEIVE_COUNT}),
    }
    return sqs.create_queue(QueueName=names.name, Attributes=attrs)["QueueUrl"]


def bootstrap(stage: str) -> dict:
    """Idempotent: safe to run against an environment that already has some of it."""
    stream_arn = create_table(stage)
    queues = {key: create_queue_pair(names) for key, names in resources.task_queues(stage).items()}
    for key, visibility in resources.SERVICE_QUEUES.items():
        queues[key] = create_queue_pair(resources.service_queue(stage, key), fifo=False, visibility=visibility)
    topics = {key: client("sns").create_topic(Name=resources.topic_name(stage, key))["TopicArn"]
              for key in resources.TOPICS}
    for key in resources.BUCKETS:
        try:
            client("s3").create_bucket(Bucket=resources.bucket_name(stage, key),
                                       CreateBucketConfiguration={"LocationConstraint": client("s3").meta.region_name})
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise
    return {"table": resources.table_name(stage), "stream_arn": stream_arn, "queues": queues, "topics": topics}
